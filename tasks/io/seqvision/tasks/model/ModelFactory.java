package io.seqvision.tasks.model;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Path;
import io.seqvision.decoder.EncoderDecoderModel;
import io.seqvision.decoder.SequenceDecoder;
import io.seqvision.encoder.Encoder;
import io.seqvision.encoder.EncoderOptions;
import io.seqvision.encoder.EncoderRegistry;
import io.seqvision.encoder.checkpoint.CheckpointImporter;
import io.seqvision.encoder.checkpoint.HeadPolicy;
import io.seqvision.encoder.checkpoint.ImportReport;
import io.seqvision.encoder.checkpoint.OfficialCheckpoint;
import io.seqvision.tasks.config.ConfigException;
import io.seqvision.tasks.config.DecoderConfig;
import io.seqvision.tasks.config.ModelConfig;
import io.seqvision.tokenizers.Vocabulary;

/** Builds and initialises the network a config describes. */
public final class ModelFactory {

    private ModelFactory() {}

    /**
     * Builds the network and initialises its parameters in {@code manager}.
     *
     * @param vocabulary the token layout: its size is the decoder's output width, its coordinate
     *     bins start as ordinal embeddings
     * @param maxLength  longest token sequence (prompt and response)
     */
    public static EncoderDecoderModel create(
            ModelConfig config, Vocabulary vocabulary, int maxLength, EncoderRegistry encoders, NDManager manager) {
        Encoder encoder;
        try {
            encoder = encoders.create(config.encoder(), EncoderOptions.of(config.encoderOptions()));
        } catch (IllegalArgumentException e) {
            throw new ConfigException((config.encoderOptions().isEmpty() || !encoders.contains(config.encoder())
                    ? "model.encoder: " : "model.encoder_options of '" + config.encoder() + "': ") + e.getMessage(), e);
        }
        if (config.imageSize() % encoder.outputStride() != 0) {
            throw new ConfigException("model.image_size " + config.imageSize()
                    + " is not a multiple of the encoder's stride " + encoder.outputStride());
        }
        DecoderConfig d = config.decoder();
        SequenceDecoder decoder = SequenceDecoder.builder()
                .setVocabSize(vocabulary.size())
                .setMaxLength(maxLength)
                .optWidth(d.width())
                .optLayers(d.layers())
                .optHeads(d.heads())
                .optMlpDim(d.mlpDim())
                .optDropout((float) d.dropout())
                .optOrdinalTokens(vocabulary.coordStart(), vocabulary.coordBins())
                .build();
        EncoderDecoderModel model = EncoderDecoderModel.builder().setEncoder(encoder).setDecoder(decoder).build();
        model.initialize(manager, DataType.FLOAT32,
                new Shape(1, 3, config.imageSize(), config.imageSize()), new Shape(1, maxLength));
        return model;
    }

    /**
     * Sets the encoder of a freshly built {@code model} from {@code model.encoder_weights}, if the
     * config names a file; the file's classification head is dropped.
     *
     * @return what was loaded, or null when the config names no file
     * @throws ConfigException naming {@code model.encoder_weights} and the problem (file, tensor)
     */
    public static ImportReport loadEncoderWeights(ModelConfig config, EncoderDecoderModel model) {
        if (config.encoderWeights().isBlank()) {
            return null;
        }
        if (!(model.encoder() instanceof OfficialCheckpoint)) {
            throw new ConfigException("model.encoder_weights: encoder '" + config.encoder()
                    + "' has no official checkpoint format to load (PeLK has no official code)");
        }
        try {
            return CheckpointImporter.load(
                    Path.of(config.encoderWeights()), (OfficialCheckpoint) model.encoder(), HeadPolicy.DROP);
        } catch (IOException e) {
            throw new ConfigException("model.encoder_weights: " + e.getMessage(), e);
        }
    }
}
