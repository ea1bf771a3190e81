package io.seqvision.encoder.slak;

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

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * SLaK's decomposed large kernel ({@code ReparamLargeKernelConv} with {@code Decom=True} in the
 * official {@code models/SLaK.py}): three depthwise convs without bias, each followed by
 * BatchNorm, summed: {@code M x N} ({@code Decom1}), {@code N x M} ({@code Decom2}) and, when
 * {@code N < M}, {@code N x N} ({@code small_conv}). Each pads {@code (kh/2, kw/2)} as the official
 * CUDA kernel does, so a 51x5 kernel pads (25, 2) and the size is kept.
 *
 * <p>Input: {@code (B, C, H, W)}. Output: the same shape. Parameters: per branch a conv weight
 * {@code (C, 1, kh, kw)} and a BatchNorm ({@code C} each).
 */
public final class DecomposedKernelConv extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int channels;
    private final int kernelSize;
    private final int smallKernelSize;

    private final ConvBatchNorm tall;
    private final ConvBatchNorm wide;
    private final ConvBatchNorm small;

    private DecomposedKernelConv(Builder builder) {
        super(VERSION);
        channels = builder.channels;
        kernelSize = builder.kernelSize;
        smallKernelSize = builder.smallKernelSize;
        tall = addChildBlock("Decom1", branch(kernelSize, smallKernelSize, builder.path));
        wide = addChildBlock("Decom2", branch(smallKernelSize, kernelSize, builder.path));
        small =
                smallKernelSize < kernelSize
                        ? addChildBlock(
                                "small_conv",
                                branch(smallKernelSize, smallKernelSize, DepthwiseConv.Path.DIRECT))
                        : null;
    }

    private ConvBatchNorm branch(int height, int width, DepthwiseConv.Path path) {
        return ConvBatchNorm.builder()
                .setConv(
                        DepthwiseConv.builder()
                                .setChannels(channels)
                                .setKernelShape(height, width)
                                .optPath(path)
                                .build())
                .build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public int getChannels() {
        return channels;
    }

    /** The long side M of the rectangular kernels. */
    public int getKernelSize() {
        return kernelSize;
    }

    /** The short side N, also the small square kernel's size. */
    public int getSmallKernelSize() {
        return smallKernelSize;
    }

    /** The branches in official order: M x N, N x M, then N x N if present. */
    public List<ConvBatchNorm> getBranches() {
        List<ConvBatchNorm> branches = new ArrayList<>(List.of(tall, wide));
        if (small != null) {
            branches.add(small);
        }
        return Collections.unmodifiableList(branches);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        checkInput(inputs.singletonOrThrow().getShape());
        NDArray out = tall.forward(parameterStore, inputs, training).singletonOrThrow();
        out = out.add(wide.forward(parameterStore, inputs, training).singletonOrThrow());
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
        for (ConvBatchNorm branch : getBranches()) {
            branch.initialize(manager, dataType, inputShapes);
        }
    }

    private void checkInput(Shape shape) {
        if (shape.dimension() != 4 || shape.get(1) != channels) {
            throw new IllegalArgumentException(
                    "DecomposedKernelConv with "
                            + channels
                            + " channels expects input (B, "
                            + channels
                            + ", H, W), got shape "
                            + shape);
        }
    }

    /**
     * Builds a {@link DecomposedKernelConv}. Required: {@link #setChannels}, {@link
     * #setKernelSize}. Defaults: N = 5, {@link DepthwiseConv.Path#AUTO} for the rectangular
     * branches (the small square one always runs directly).
     */
    public static final class Builder {
        private int channels;
        private int kernelSize;
        private int smallKernelSize = 5;
        private DepthwiseConv.Path path = DepthwiseConv.Path.AUTO;

        private Builder() {}

        public Builder setChannels(int channels) {
            this.channels = channels;
            return this;
        }

        /** M, the long side (odd). */
        public Builder setKernelSize(int kernelSize) {
            this.kernelSize = kernelSize;
            return this;
        }

        /** N, the short side and the small kernel (odd). */
        public Builder optSmallKernelSize(int smallKernelSize) {
            this.smallKernelSize = smallKernelSize;
            return this;
        }

        public Builder optPath(DepthwiseConv.Path path) {
            this.path = path;
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the first invalid setting
         */
        public DecomposedKernelConv build() {
            if (channels <= 0) {
                throw new IllegalArgumentException(
                        "DecomposedKernelConv channels must be set and positive, got " + channels);
            }
            if (kernelSize <= 0
                    || kernelSize % 2 == 0
                    || smallKernelSize <= 0
                    || smallKernelSize % 2 == 0) {
                throw new IllegalArgumentException(
                        "DecomposedKernelConv kernel sizes must be odd and positive, got M = "
                                + kernelSize
                                + ", N = "
                                + smallKernelSize);
            }
            if (path == null) {
                throw new IllegalArgumentException("DecomposedKernelConv path must not be null");
            }
            return new DecomposedKernelConv(this);
        }
    }
}
