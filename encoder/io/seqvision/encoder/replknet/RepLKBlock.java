package io.seqvision.encoder.replknet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import io.seqvision.encoder.common.ConvBatchNorm;
import io.seqvision.encoder.common.DepthwiseConv;
import io.seqvision.encoder.common.DropPath;

/**
 * RepLKNet's large-kernel block ({@code RepLKBlock} in the official {@code replknet.py}): {@code x +
 * dropPath(pw2(ReLU(largeKernel(pw1(BN(x))))))}, where {@code pw1} is a 1x1 conv + BN + ReLU from C
 * to the depthwise width, {@code largeKernel} a {@link LargeKernelConv} and {@code pw2} a 1x1 conv
 * + BN back to C. Note the ReLUs here; the FFN uses GELU.
 *
 * <p>Input: {@code (B, C, H, W)}. Output: the same shape. Children (official names): {@code
 * prelkb_bn}, {@code pw1}, {@code large_kernel}, {@code pw2}.
 */
public final class RepLKBlock extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int channels;
    private final int dwChannels;
    private final float dropPathRate;

    private final BatchNorm preNorm;
    private final ConvBatchNorm pw1;
    private final LargeKernelConv largeKernel;
    private final ConvBatchNorm pw2;

    private RepLKBlock(Builder builder) {
        super(VERSION);
        channels = builder.channels;
        dwChannels = builder.dwChannels > 0 ? builder.dwChannels : builder.channels;
        dropPathRate = builder.dropPathRate;
        preNorm = addChildBlock("prelkb_bn", Layers.batchNorm());
        pw1 = addChildBlock("pw1", Layers.convBn(dwChannels, 1, 1, 1, true));
        largeKernel =
                addChildBlock(
                        "large_kernel",
                        LargeKernelConv.builder()
                                .setChannels(dwChannels)
                                .setKernelSize(builder.kernelSize)
                                .optSmallKernelSize(builder.smallKernelSize)
                                .optMerged(builder.merged)
                                .optPath(builder.path)
                                .build());
        pw2 = addChildBlock("pw2", Layers.convBn(channels, 1, 1, 1, false));
    }

    public static Builder builder() {
        return new Builder();
    }

    public int getChannels() {
        return channels;
    }

    public float getDropPathRate() {
        return dropPathRate;
    }

    public LargeKernelConv getLargeKernel() {
        return largeKernel;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDArray input = inputs.singletonOrThrow();
        checkInput(input.getShape());
        NDList x = preNorm.forward(parameterStore, inputs, training);
        x = pw1.forward(parameterStore, x, training);
        x = largeKernel.forward(parameterStore, x, training);
        x = new NDList(Activation.relu(x.singletonOrThrow()));
        NDArray branch = pw2.forward(parameterStore, x, training).singletonOrThrow();
        return new NDList(input.add(DropPath.apply(branch, dropPathRate, training)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape input = inputShapes[0];
        checkInput(input);
        Shape wide = new Shape(input.get(0), dwChannels, input.get(2), input.get(3));
        preNorm.initialize(manager, dataType, input);
        pw1.initialize(manager, dataType, input);
        largeKernel.initialize(manager, dataType, wide);
        pw2.initialize(manager, dataType, wide);
    }

    private void checkInput(Shape shape) {
        if (shape.dimension() != 4 || shape.get(1) != channels) {
            throw new IllegalArgumentException(
                    "RepLKBlock with "
                            + channels
                            + " channels expects input (B, "
                            + channels
                            + ", H, W), got shape "
                            + shape);
        }
    }

    /**
     * Builds a {@link RepLKBlock}. Required: {@link #setChannels}, {@link #setKernelSize}.
     * Defaults: depthwise width = channels (dw ratio 1), small kernel 5, drop path 0, training
     * form, {@link DepthwiseConv.Path#AUTO}.
     */
    public static final class Builder {
        private int channels;
        private int dwChannels;
        private int kernelSize;
        private int smallKernelSize = 5;
        private float dropPathRate;
        private boolean merged;
        private DepthwiseConv.Path path = DepthwiseConv.Path.AUTO;

        private Builder() {}

        public Builder setChannels(int channels) {
            this.channels = channels;
            return this;
        }

        /** Width of the depthwise part; defaults to the block's channels. */
        public Builder optDwChannels(int dwChannels) {
            this.dwChannels = dwChannels;
            return this;
        }

        public Builder setKernelSize(int kernelSize) {
            this.kernelSize = kernelSize;
            return this;
        }

        public Builder optSmallKernelSize(int smallKernelSize) {
            this.smallKernelSize = smallKernelSize;
            return this;
        }

        public Builder optDropPathRate(double dropPathRate) {
            this.dropPathRate = (float) dropPathRate;
            return this;
        }

        public Builder optMerged(boolean merged) {
            this.merged = merged;
            return this;
        }

        public Builder optPath(DepthwiseConv.Path path) {
            this.path = path;
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the first invalid setting
         */
        public RepLKBlock build() {
            if (channels <= 0 || dwChannels < 0) {
                throw new IllegalArgumentException(
                        "RepLKBlock channels must be positive, got "
                                + channels
                                + " (depthwise "
                                + dwChannels
                                + ")");
            }
            RepLKNet.checkDropPathRate(dropPathRate);
            return new RepLKBlock(this);
        }
    }
}
