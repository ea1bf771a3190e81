package io.seqvision.encoder.replknet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import io.seqvision.encoder.common.ConvBatchNorm;
import io.seqvision.encoder.common.DepthwiseConv;

/**
 * RepLKNet's re-parameterisable large-kernel depthwise conv ({@code ReparamLargeKernelConv} in the
 * official {@code replknet.py}), in one of two forms:
 *
 * <ul>
 *   <li>training form: {@code BN(dwconv_KxK(x)) + BN(dwconv_5x5(x))}, both convs without bias and
 *       padded to keep the size (children {@code lkb_origin} and {@code small_conv});
 *   <li>merged form: one {@code KxK} depthwise conv with bias ({@code lkb_reparam}), equal to the
 *       training form in inference once {@link #mergeFrom} has folded each BatchNorm into its
 *       conv and added the small kernel, zero-padded, to the centre of the large one.
 * </ul>
 *
 * <p>Input: {@code (B, C, H, W)}. Output: the same shape. Parameters (training form): {@code
 * lkb_origin} conv weight {@code (C, 1, K, K)} and BatchNorm ({@code C} each); {@code small_conv}
 * conv weight {@code (C, 1, k, k)} and BatchNorm. Merged form: weight {@code (C, 1, K, K)}, bias
 * {@code (C)}. The large kernel uses {@link DepthwiseConv} with the configured path, so it runs
 * through FFTs where that is faster.
 */
public final class LargeKernelConv extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int channels;
    private final int kernelSize;
    private final int smallKernelSize;
    private final boolean merged;

    private final ConvBatchNorm large;
    private final ConvBatchNorm small;
    private final DepthwiseConv reparam;

    private LargeKernelConv(Builder builder) {
        super(VERSION);
        channels = builder.channels;
        kernelSize = builder.kernelSize;
        smallKernelSize = builder.smallKernelSize;
        merged = builder.merged;
        DepthwiseConv.Builder largeConv =
                DepthwiseConv.builder()
                        .setChannels(channels)
                        .setKernelSize(kernelSize)
                        .optPath(builder.path);
        if (merged) {
            reparam = addChildBlock("lkb_reparam", largeConv.optBias(true).build());
            large = null;
            small = null;
        } else {
            reparam = null;
            large =
                    addChildBlock(
                            "lkb_origin", ConvBatchNorm.builder().setConv(largeConv.build()).build());
            small =
                    smallKernelSize > 0
                            ? addChildBlock(
                                    "small_conv",
                                    ConvBatchNorm.builder()
                                            .setConv(
                                                    DepthwiseConv.builder()
                                                            .setChannels(channels)
                                                            .setKernelSize(smallKernelSize)
                                                            .optPath(DepthwiseConv.Path.DIRECT)
                                                            .build())
                                            .build())
                            : null;
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public int getChannels() {
        return channels;
    }

    public int getKernelSize() {
        return kernelSize;
    }

    /** The parallel small kernel's size; 0 when there is none. */
    public int getSmallKernelSize() {
        return smallKernelSize;
    }

    public boolean isMerged() {
        return merged;
    }

    /** The training form's large branch (null when merged). */
    public ConvBatchNorm getLargeBranch() {
        return large;
    }

    /** The training form's small branch (null when merged or configured without one). */
    public ConvBatchNorm getSmallBranch() {
        return small;
    }

    /** The merged form's conv (null in the training form). */
    public DepthwiseConv getMergedConv() {
        return reparam;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        checkInput(inputs.singletonOrThrow().getShape());
        if (merged) {
            return reparam.forward(parameterStore, inputs, training);
        }
        NDArray out = large.forward(parameterStore, inputs, training).singletonOrThrow();
        if (small != null) {
            out = out.add(small.forward(parameterStore, inputs, training).singletonOrThrow());
        }
        return new NDList(out);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        checkInput(inputShapes[0]);
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        checkInput(inputShapes[0]);
        if (merged) {
            reparam.initialize(manager, dataType, inputShapes);
        } else {
            large.initialize(manager, dataType, inputShapes);
            if (small != null) {
                small.initialize(manager, dataType, inputShapes);
            }
        }
    }

    /**
     * Sets this merged conv's kernel and bias from a trained, initialised training-form conv of the
     * same configuration: each BatchNorm folded into its conv (inference statistics), the small
     * kernel zero-padded to {@code K x K} and added at the centre, the biases summed.
     *
     * @throws IllegalStateException if this conv is not merged, or either is not initialised
     * @throws IllegalArgumentException if the configurations differ
     */
    public void mergeFrom(LargeKernelConv source) {
        if (!merged || source.merged) {
            throw new IllegalStateException(
                    "mergeFrom copies a training-form conv into a merged one; this is "
                            + (merged ? "merged" : "not merged")
                            + " and the source is "
                            + (source.merged ? "merged" : "not merged"));
        }
        if (source.channels != channels
                || source.kernelSize != kernelSize
                || source.smallKernelSize != smallKernelSize) {
            throw new IllegalArgumentException(
                    "cannot merge a "
                            + source.describe()
                            + " large-kernel conv into a "
                            + describe()
                            + " one");
        }
        if (!isInitialized() || !source.isInitialized()) {
            throw new IllegalStateException("initialise both large-kernel convs before merging");
        }
        ConvBatchNorm.Folded big = source.large.fold();
        float[] kernel = big.kernel().clone();
        float[] bias = big.bias().clone();
        if (source.small != null) {
            ConvBatchNorm.Folded little = source.small.fold();
            int offset = (kernelSize - smallKernelSize) / 2;
            int k = kernelSize;
            int s = smallKernelSize;
            for (int c = 0; c < channels; c++) {
                bias[c] += little.bias()[c];
                for (int i = 0; i < s; i++) {
                    for (int j = 0; j < s; j++) {
                        kernel[(c * k + i + offset) * k + j + offset] +=
                                little.kernel()[(c * s + i) * s + j];
                    }
                }
            }
        }
        reparam.getWeight().getArray().set(kernel);
        reparam.getBias().getArray().set(bias);
    }

    private String describe() {
        return channels + "-channel " + kernelSize + "x" + kernelSize + " (small " + smallKernelSize
                + ")";
    }

    private void checkInput(Shape shape) {
        if (shape.dimension() != 4 || shape.get(1) != channels) {
            throw new IllegalArgumentException(
                    "LargeKernelConv with "
                            + channels
                            + " channels expects input (B, "
                            + channels
                            + ", H, W), got shape "
                            + shape);
        }
    }

    /**
     * Builds a {@link LargeKernelConv}. Required: {@link #setChannels}, {@link #setKernelSize}.
     * Defaults: small kernel 5 (0 for none), training form, {@link DepthwiseConv.Path#AUTO}.
     */
    public static final class Builder {
        private int channels;
        private int kernelSize;
        private int smallKernelSize = 5;
        private boolean merged;
        private DepthwiseConv.Path path = DepthwiseConv.Path.AUTO;

        private Builder() {}

        public Builder setChannels(int channels) {
            this.channels = channels;
            return this;
        }

        /** The large kernel size K (odd). */
        public Builder setKernelSize(int kernelSize) {
            this.kernelSize = kernelSize;
            return this;
        }

        /** The parallel small kernel's size (odd, at most K), or 0 for none. */
        public Builder optSmallKernelSize(int smallKernelSize) {
            this.smallKernelSize = smallKernelSize;
            return this;
        }

        /** Builds the merged (inference) form. */
        public Builder optMerged(boolean merged) {
            this.merged = merged;
            return this;
        }

        /** How the large kernel is computed. */
        public Builder optPath(DepthwiseConv.Path path) {
            this.path = path;
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the first invalid setting
         */
        public LargeKernelConv build() {
            if (channels <= 0) {
                throw new IllegalArgumentException(
                        "LargeKernelConv channels must be set and positive, got " + channels);
            }
            if (kernelSize <= 0 || kernelSize % 2 == 0) {
                throw new IllegalArgumentException(
                        "LargeKernelConv kernel size must be odd and positive, got " + kernelSize);
            }
            if (smallKernelSize < 0
                    || smallKernelSize > kernelSize
                    || (smallKernelSize > 0 && smallKernelSize % 2 == 0)) {
                throw new IllegalArgumentException(
                        "LargeKernelConv small kernel must be 0 or odd and at most the kernel size "
                                + kernelSize
                                + ", got "
                                + smallKernelSize);
            }
            if (path == null) {
                throw new IllegalArgumentException("LargeKernelConv path must not be null");
            }
            return new LargeKernelConv(this);
        }
    }
}
