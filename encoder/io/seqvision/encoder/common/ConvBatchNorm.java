package io.seqvision.encoder.common;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A bias-free convolution followed by BatchNorm and optionally ReLU: the {@code conv_bn} / {@code
 * conv_bn_relu} unit of the official RepLKNet and SLaK code. The BatchNorm is PyTorch's default
 * (eps 1e-5, running statistics updated with momentum 0.1 in training, used in inference).
 *
 * <p>Input: whatever the conv accepts, {@code (B, Cin, H, W)}. Output: the conv's output shape
 * {@code (B, Cout, H', W')}. Parameters: the conv's {@code weight} (it must have no bias) and the
 * norm's {@code gamma}, {@code beta}, {@code runningMean}, {@code runningVar} (each {@code Cout};
 * the running statistics are not trained).
 */
public final class ConvBatchNorm extends AbstractBlock {

    /** PyTorch's BatchNorm2d eps. */
    public static final float BATCH_NORM_EPS = 1e-5f;

    private static final byte VERSION = 1;

    private final Block conv;
    private final BatchNorm norm;
    private final boolean relu;

    private ConvBatchNorm(Builder builder) {
        super(VERSION);
        relu = builder.relu;
        conv = addChildBlock("conv", builder.conv);
        // DJL's momentum is the weight of the old running value: 0.9 is PyTorch's momentum 0.1
        norm = addChildBlock("bn", BatchNorm.builder().optEpsilon(BATCH_NORM_EPS).build());
    }

    public static Builder builder() {
        return new Builder();
    }

    public Block getConv() {
        return conv;
    }

    public BatchNorm getNorm() {
        return norm;
    }

    public boolean hasRelu() {
        return relu;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDList x = conv.forward(parameterStore, inputs, training);
        x = norm.forward(parameterStore, x, training);
        return relu ? new NDList(Activation.relu(x.singletonOrThrow())) : x;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return conv.getOutputShapes(inputShapes);
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        conv.initialize(manager, dataType, inputShapes);
        norm.initialize(manager, dataType, conv.getOutputShapes(inputShapes));
    }

    /**
     * The conv with the (inference-mode) BatchNorm folded in: {@code kernel * t} and {@code beta -
     * mean * t} with {@code t = gamma / sqrt(runningVar + eps)} per output channel. The conv
     * followed by the norm in inference equals a conv with this kernel plus this bias. Computed in
     * double precision.
     *
     * @throws IllegalStateException if the block is not initialised
     */
    public Folded fold() {
        if (!isInitialized()) {
            throw new IllegalStateException("initialise the ConvBatchNorm before folding it");
        }
        NDArray weight = conv.getDirectParameters().get("weight").getArray();
        float[] kernel = weight.toFloatArray();
        float[] gamma = normValue("gamma");
        float[] beta = normValue("beta");
        float[] mean = normValue("runningMean");
        float[] variance = normValue("runningVar");
        int channels = gamma.length;
        int perChannel = kernel.length / channels;
        float[] foldedKernel = new float[kernel.length];
        float[] foldedBias = new float[channels];
        for (int c = 0; c < channels; c++) {
            double t = gamma[c] / Math.sqrt((double) variance[c] + BATCH_NORM_EPS);
            for (int i = c * perChannel; i < (c + 1) * perChannel; i++) {
                foldedKernel[i] = (float) (kernel[i] * t);
            }
            foldedBias[c] = (float) (beta[c] - mean[c] * t);
        }
        return new Folded(foldedKernel, weight.getShape(), foldedBias);
    }

    private float[] normValue(String name) {
        Parameter parameter = norm.getDirectParameters().get(name);
        return parameter.getArray().toFloatArray();
    }

    /**
     * A conv kernel and bias equivalent to a conv + BatchNorm in inference.
     *
     * @param kernel the kernel values in the conv weight's layout
     * @param shape the conv weight's shape, {@code (Cout, Cin/groups, kh, kw)}
     * @param bias one value per output channel
     */
    public record Folded(float[] kernel, Shape shape, float[] bias) {}

    /** Builds a {@link ConvBatchNorm}. Required: {@link #setConv}. Default: no ReLU. */
    public static final class Builder {
        private Block conv;
        private boolean relu;

        private Builder() {}

        /** The convolution, which must have a {@code weight} parameter and no bias. */
        public Builder setConv(Block conv) {
            this.conv = conv;
            return this;
        }

        /** Appends a ReLU ({@code conv_bn_relu}). */
        public Builder optRelu(boolean relu) {
            this.relu = relu;
            return this;
        }

        /**
         * @throws IllegalArgumentException if the conv is missing, has no weight or has a bias
         */
        public ConvBatchNorm build() {
            if (conv == null) {
                throw new IllegalArgumentException("ConvBatchNorm needs a conv (setConv)");
            }
            if (!conv.getDirectParameters().contains("weight")
                    || conv.getDirectParameters().contains("bias")) {
                throw new IllegalArgumentException(
                        "ConvBatchNorm's conv must have a weight and no bias (the norm's beta is"
                                + " the bias), got parameters "
                                + conv.getDirectParameters().keys());
            }
            return new ConvBatchNorm(this);
        }
    }
}
