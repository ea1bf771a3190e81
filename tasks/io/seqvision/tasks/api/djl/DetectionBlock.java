package io.seqvision.tasks.api.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.seqvision.decoder.EncoderDecoderModel;
import io.seqvision.decoder.generate.GeneratedSequence;
import io.seqvision.decoder.generate.GenerationOptions;
import io.seqvision.decoder.generate.GenerationResult;
import io.seqvision.decoder.generate.Generator;
import io.seqvision.tasks.DecodingOptions;
import io.seqvision.tasks.detection.DetectionTask;
import io.seqvision.tasks.model.TaskSuite;
import io.seqvision.tokenizers.Vocabulary;
import io.seqvision.tasks.data.ImageInput;
import io.seqvision.tasks.model.ModelBundle;
import java.util.Arrays;
import java.util.List;

/**
 * A trained seqvision detector as one DJL {@link ai.djl.nn.Block}: normalised images in, generated
 * detection tokens out, so that DJL's {@link ai.djl.inference.Predictor} can run the whole
 * autoregressive loop in its {@code forward}. Built by {@link DetectionBlockFactory}; paired with
 * {@link DetectionTranslator}.
 *
 * <p>Input: {@code NDList[images (B, 3, S, S) float]}, normalised as {@code ImageInput}
 * does, {@code S} = {@link #imageSize()}. Output: {@code NDList[tokens (B, M) int32, probabilities
 * (B, M) float32, lengths (B) int32]}: row {@code b} holds {@code lengths[b]} generated tokens
 * (prompt and end token excluded), padded with -1 and 0 to the batch's longest, {@code M >= 1}.
 * Decoding is constrained by the detection grammar and follows {@link #decoding()}.
 *
 * <p>Parameters: those of the wrapped network (child block {@code network}), already loaded and
 * frozen; this block has none of its own and is never initialised by DJL.
 */
public final class DetectionBlock extends AbstractBlock {

    private final EncoderDecoderModel network;
    private final ModelBundle bundle;
    private final Vocabulary vocabulary;
    private final DetectionTask task;
    private final DecodingOptions decoding;

    /**
     * @param network an initialised network whose parameters are loaded
     * @param bundle the model directory's config and class names
     * @param decoding sampler, seed and length budget (0: the tokenizer's longest response)
     */
    public DetectionBlock(EncoderDecoderModel network, ModelBundle bundle, DecodingOptions decoding) {
        this.network = addChildBlock("network", network);
        this.bundle = bundle;
        try (TaskSuite suite = bundle.suite()) {
            this.vocabulary = suite.vocabulary();
            this.task = suite.detection();
        }
        this.decoding = decoding;
    }

    /** The square side the translator resizes images to. */
    public int imageSize() {
        return bundle.config().model().imageSize();
    }

    /** How the translator turns images into this block's input. */
    public ImageInput imageInput() {
        return bundle.imageInput();
    }

    /** Class names, indexed by class. */
    public List<String> classNames() {
        return bundle.classNames();
    }

    /** The model's token layout. */
    public Vocabulary vocabulary() {
        return vocabulary;
    }

    /** The detection task and its tokenizer. */
    public DetectionTask task() {
        return task;
    }

    /** How this block decodes. */
    public DecodingOptions decoding() {
        return decoding;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray images = inputs.singletonOrThrow();
        Shape shape = images.getShape();
        if (shape.dimension() != 4 || shape.get(1) != 3 || shape.get(2) != imageSize() || shape.get(3) != imageSize()) {
            throw new IllegalArgumentException(
                    "DetectionBlock expects images (B, 3, " + imageSize() + ", " + imageSize() + "), got " + shape);
        }
        int batch = (int) shape.get(0);
        int[][] prompts = new int[batch][];
        for (int b = 0; b < batch; b++) {
            prompts[b] = task.prompt(List.of());
        }
        int budget = decoding.maxNewTokens() > 0
                ? decoding.maxNewTokens()
                : task.tokenizer().maxResponseLength();
        GenerationOptions options = new GenerationOptions(budget, Vocabulary.EOS, decoding.newSampler(),
                task::allowedNext, decoding.keyValueCache());
        GenerationResult result = Generator.generate(network, parameterStore, images, prompts, options);
        return pack(result, images.getManager());
    }

    private static NDList pack(GenerationResult result, NDManager manager) {
        int batch = result.size();
        int width = 1;
        for (GeneratedSequence sequence : result.sequences()) {
            width = Math.max(width, sequence.length());
        }
        int[] tokens = new int[batch * width];
        float[] probabilities = new float[batch * width];
        int[] lengths = new int[batch];
        Arrays.fill(tokens, -1);
        for (int b = 0; b < batch; b++) {
            GeneratedSequence sequence = result.sequence(b);
            System.arraycopy(sequence.tokens(), 0, tokens, b * width, sequence.length());
            System.arraycopy(sequence.probabilities(), 0, probabilities, b * width, sequence.length());
            lengths[b] = sequence.length();
        }
        return new NDList(
                manager.create(tokens, new Shape(batch, width)),
                manager.create(probabilities, new Shape(batch, width)),
                manager.create(lengths, new Shape(batch)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long batch = inputShapes[0].get(0);
        return new Shape[] {new Shape(batch, -1), new Shape(batch, -1), new Shape(batch)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        // The network arrives initialised with its trained parameters; re-initialising would erase them.
    }
}
