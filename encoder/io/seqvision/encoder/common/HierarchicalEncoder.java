package io.seqvision.encoder.common;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.seqvision.encoder.Encoder;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What the hierarchical ConvNet encoders share: a feature path of blocks run in order on an image
 * {@code (B, 3, H, W)} whose H and W are positive multiples of the stride, optional heads after it,
 * and an architecture description saved with the parameters so that loading them into a different
 * configuration fails with a {@link MalformedModelException}.
 *
 * <p>Subclasses add the feature path with {@link #addToFeaturePath} in forward order and then their
 * heads, and say what the encoder output ({@link #encodeFeatures}) and the classifier ({@link
 * #classifyFeatures}) do with the feature path's output.
 */
public abstract class HierarchicalEncoder extends AbstractBlock implements Encoder {

    private static final int IMAGE_CHANNELS = 3;

    private final String modelName;
    private final int stride;
    private final List<Block> featurePath = new ArrayList<>();
    private final List<Integer> stageEnds = new ArrayList<>();

    /**
     * @param version the parameter format version
     * @param modelName the name used in error messages, e.g. {@code "ConvNeXt"}
     * @param stride the total downsampling factor of the feature path
     */
    protected HierarchicalEncoder(byte version, String modelName, int stride) {
        super(version);
        this.modelName = modelName;
        this.stride = stride;
    }

    /** Registers {@code block} as a child under {@code name} and appends it to the feature path. */
    protected final <T extends Block> T addToFeaturePath(String name, T block) {
        featurePath.add(addChildBlock(name, block));
        return block;
    }

    /** Marks the end of a stage: the feature path so far ends with that stage's output. */
    protected final void endStage() {
        stageEnds.add(featurePath.size());
    }

    /**
     * The output of every stage, as the official code's stages produce them (for a ConvNeXt-like
     * model: after the stage's last block; before the encoder's output norm): input {@code (B, 3,
     * H, W)}, output one array {@code (B, C_i, H/s_i, W/s_i)} per stage.
     */
    public final List<NDArray> forwardStages(
            ParameterStore parameterStore, NDArray image, boolean training) {
        checkInput(image.getShape());
        List<NDArray> outputs = new ArrayList<>();
        NDArray x = image;
        for (int i = 0; i < featurePath.size(); i++) {
            x = featurePath.get(i).forward(parameterStore, new NDList(x), training).singletonOrThrow();
            if (stageEnds.contains(i + 1)) {
                outputs.add(x);
            }
        }
        return outputs;
    }

    /** The feature path's blocks in forward order. */
    protected final List<Block> featurePath() {
        return Collections.unmodifiableList(featurePath);
    }

    @Override
    public final int outputStride() {
        return stride;
    }

    /** Whether the model was built with a classification head. */
    protected abstract boolean hasClassificationHead();

    /** The configuration stamped into saved parameters; loading checks it matches. */
    protected abstract String describeArchitecture();

    /** The encoder output from the feature path's output {@code features}. */
    protected abstract NDList encodeFeatures(
            ParameterStore parameterStore, NDArray features, boolean training);

    /** The class logits {@code (B, numClasses)} from the feature path's output {@code features}. */
    protected abstract NDArray classifyFeatures(
            ParameterStore parameterStore, NDArray features, boolean training);

    /**
     * Initialises the heads once the feature path is initialised.
     *
     * @param featureShape the shape the feature path outputs
     */
    protected abstract void initializeHeads(
            NDManager manager, DataType dataType, Shape featureShape);

    @Override
    protected final NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDArray features = runFeaturePath(parameterStore, inputs, training);
        return encodeFeatures(parameterStore, features, training);
    }

    /**
     * ImageNet-style classification: input {@code (B, 3, H, W)}, output one array {@code (B,
     * numClasses)} of logits.
     *
     * @throws IllegalStateException if the model has no head or is not initialised
     */
    public final NDList classify(ParameterStore parameterStore, NDList inputs, boolean training) {
        if (!hasClassificationHead()) {
            throw new IllegalStateException(
                    "this "
                            + modelName
                            + " has no classification head; build it with optNumClasses(n > 0)");
        }
        if (!isInitialized()) {
            throw new IllegalStateException(
                    "initialise the "
                            + modelName
                            + " (initialize(manager, FLOAT32, inputShape)) before classify");
        }
        NDArray features = runFeaturePath(parameterStore, inputs, training);
        return new NDList(classifyFeatures(parameterStore, features, training));
    }

    private NDArray runFeaturePath(ParameterStore parameterStore, NDList inputs, boolean training) {
        if (inputs.size() != 1) {
            throw new IllegalArgumentException(
                    modelName + " expects one input array, got " + inputs.size());
        }
        NDArray x = inputs.head();
        checkInput(x.getShape());
        for (Block block : featurePath) {
            x = block.forward(parameterStore, new NDList(x), training).singletonOrThrow();
        }
        return x;
    }

    /** Global average pool: {@code (B, C, H, W)} to {@code (B, C)}. */
    protected static NDArray globalAveragePool(NDArray x) {
        Shape shape = x.getShape();
        return x.reshape(shape.get(0), shape.get(1), -1).mean(new int[] {2});
    }

    /**
     * Global average pool of {@code features} {@code (B, C, H, W)} to {@code (B, C)}, then each of
     * {@code blocks} in order (e.g. a head norm and a linear classifier).
     */
    protected static NDArray poolThenApply(
            ParameterStore parameterStore, NDArray features, boolean training, Block... blocks) {
        NDArray x = globalAveragePool(features);
        for (Block block : blocks) {
            x = block.forward(parameterStore, new NDList(x), training).singletonOrThrow();
        }
        return x;
    }

    /**
     * Initialises {@code blocks} for {@link #poolThenApply}: all on the pooled shape {@code (B, C)}
     * of {@code featureShape} {@code (B, C, H, W)}, so every block but the last must keep its
     * input shape.
     */
    protected static void initializeOnPooled(
            NDManager manager, DataType dataType, Shape featureShape, Block... blocks) {
        Shape pooled = new Shape(featureShape.get(0), featureShape.get(1));
        for (Block block : blocks) {
            block.initialize(manager, dataType, pooled);
        }
    }

    /** {@code linspace(0, maxRate, count)}, as the official code assigns rates to blocks. */
    protected static float[] dropPathRates(float maxRate, int count) {
        float[] rates = new float[count];
        for (int i = 1; i < count; i++) {
            rates[i] = (float) ((double) maxRate * i / (count - 1));
        }
        return rates;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape input = inputShapes[0];
        checkInput(input);
        return new Shape[] {
            new Shape(input.get(0), outputChannels(), input.get(2) / stride, input.get(3) / stride)
        };
    }

    @Override
    protected void beforeInitialize(Shape... inputShapes) {
        checkInput(inputShapes[0]);
        super.beforeInitialize(inputShapes);
    }

    @Override
    protected final void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape shape = inputShapes[0];
        for (Block block : featurePath) {
            block.initialize(manager, dataType, shape);
            shape = block.getOutputShapes(new Shape[] {shape})[0];
        }
        initializeHeads(manager, dataType, shape);
    }

    /** Saves the architecture too, so that loading into a different configuration fails. */
    @Override
    protected void saveMetadata(DataOutputStream os) throws IOException {
        saveInputShapes(os);
        os.writeUTF(describeArchitecture());
    }

    @Override
    public void loadMetadata(byte loadVersion, DataInputStream is)
            throws IOException, MalformedModelException {
        super.loadMetadata(loadVersion, is);
        String saved = is.readUTF();
        if (!saved.equals(describeArchitecture())) {
            throw new MalformedModelException(
                    modelName
                            + " parameters were saved for "
                            + saved
                            + " but this model is "
                            + describeArchitecture());
        }
    }

    private void checkInput(Shape shape) {
        if (shape.dimension() != 4
                || shape.get(1) != IMAGE_CHANNELS
                || shape.get(2) <= 0
                || shape.get(3) <= 0
                || shape.get(2) % stride != 0
                || shape.get(3) % stride != 0) {
            throw new IllegalArgumentException(
                    modelName
                            + " expects input (B, 3, H, W) with H and W positive multiples of its"
                            + " stride "
                            + stride
                            + ", got shape "
                            + shape);
        }
    }
}
