package io.seqvision.tasks.model;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.seqvision.decoder.EncoderDecoderModel;
import io.seqvision.decoder.SequenceDecoder;
import io.seqvision.encoder.Encoder;
import io.seqvision.encoder.EncoderRegistry;
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
            encoder = encoders.create(config.encoder());
        } catch (IllegalArgumentException e) {
            throw new ConfigException("model.encoder: " + e.getMessage(), e);
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
}
