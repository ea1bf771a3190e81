package io.seqvision.encoder.slak;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;

import io.seqvision.encoder.common.DepthwiseConv;
import io.seqvision.encoder.common.DropPath;

/**
 * The SLaK block (official {@code models/SLaK.py Block}): ConvNeXt's block with the 7x7 depthwise
 * conv replaced by a {@link DecomposedKernelConv}: {@code x + dropPath(gamma *
 * Linear(4C->C)(GELU(Linear(C->4C)(LN(largeKernel(x))))))}, the norm and linears on a
 * channels-last view.
 *
 * <p>Input: {@code (B, C, H, W)}. Output: the same shape. Children and parameters (official
 * names): {@code large_kernel}; {@code norm} (LayerNorm, eps 1e-6); {@code pwconv1} {@code (4C,
 * C)} + bias; {@code pwconv2} {@code (C, 4C)} + bias; {@code gamma} {@code (C)}, the layer scale,
 * when enabled.
 */
public final class SLaKBlock extends AbstractBlock {

    static final float LAYER_NORM_EPS = 1e-6f;
    private static final int MLP_RATIO = 4;
    private static final byte VERSION = 1;

    private final int channels;
    private final float dropPathRate;

    private final DecomposedKernelConv largeKernel;
    private final LayerNorm norm;
    private final Linear pwconv1;
    private final Linear pwconv2;
    private final Parameter layerScale;

    private SLaKBlock(Builder builder) {
        super(VERSION);
        channels = builder.channels;
        dropPathRate = builder.dropPathRate;
        largeKernel =
                addChildBlock(
                        "large_kernel",
                        DecomposedKernelConv.builder()
                                .setChannels(channels)
                                .setKernelSize(builder.kernelSize)
                                .optSmallKernelSize(builder.smallKernelSize)
                                .optPath(builder.path)
                                .build());
        norm = addChildBlock("norm", LayerNorm.builder().axis(3).optEpsilon(LAYER_NORM_EPS).build());
        pwconv1 = addChildBlock("pwconv1", Linear.builder().setUnits(MLP_RATIO * channels).build());
        pwconv2 = addChildBlock("pwconv2", Linear.builder().setUnits(channels).build());
        layerScale =
                builder.layerScaleInit > 0f
                        ? addParameter(
                                Parameter.builder()
                                        .setName("gamma")
                                        .setType(Parameter.Type.OTHER)
                                        .optShape(new Shape(channels))
                                        .optInitializer(
                                                new ConstantInitializer(builder.layerScaleInit))
                                        .build())
                        : null;
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

    public DecomposedKernelConv getLargeKernel() {
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
        NDArray x = largeKernel.forward(parameterStore, inputs, training).singletonOrThrow();
        x = x.transpose(0, 2, 3, 1);
        x = norm.forward(parameterStore, new NDList(x), training).singletonOrThrow();
        x = pwconv1.forward(parameterStore, new NDList(x), training).singletonOrThrow();
        x = Activation.gelu(x);
        x = pwconv2.forward(parameterStore, new NDList(x), training).singletonOrThrow();
        if (layerScale != null) {
            x = x.mul(parameterStore.getValue(layerScale, input.getDevice(), training));
        }
        x = DropPath.apply(x.transpose(0, 3, 1, 2), dropPathRate, training);
        return new NDList(input.add(x));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void beforeInitialize(Shape... inputShapes) {
        checkInput(inputShapes[0]);
        super.beforeInitialize(inputShapes);
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape input = inputShapes[0];
        Shape channelsLast = new Shape(input.get(0), input.get(2), input.get(3), channels);
        largeKernel.initialize(manager, dataType, input);
        norm.initialize(manager, dataType, channelsLast);
        pwconv1.initialize(manager, dataType, channelsLast);
        pwconv2.initialize(manager, dataType, pwconv1.getOutputShapes(new Shape[] {channelsLast}));
    }

    private void checkInput(Shape shape) {
        if (shape.dimension() != 4 || shape.get(1) != channels) {
            throw new IllegalArgumentException(
                    "SLaKBlock with "
                            + channels
                            + " channels expects input (B, "
                            + channels
                            + ", H, W), got shape "
                            + shape);
        }
    }

    /**
     * Builds a {@link SLaKBlock}. Required: {@link #setChannels}, {@link #setKernelSize}.
     * Defaults: N = 5, drop path 0, layer scale init 1e-6 ({@code <= 0} disables it), {@link
     * DepthwiseConv.Path#AUTO}.
     */
    public static final class Builder {
        private int channels;
        private int kernelSize;
        private int smallKernelSize = 5;
        private float dropPathRate;
        private float layerScaleInit = 1e-6f;
        private DepthwiseConv.Path path = DepthwiseConv.Path.AUTO;

        private Builder() {}

        public Builder setChannels(int channels) {
            this.channels = channels;
            return this;
        }

        /** M, the long side of the decomposed kernels. */
        public Builder setKernelSize(int kernelSize) {
            this.kernelSize = kernelSize;
            return this;
        }

        /** N, the short side and the small square kernel. */
        public Builder optSmallKernelSize(int smallKernelSize) {
            this.smallKernelSize = smallKernelSize;
            return this;
        }

        public Builder optDropPathRate(double dropPathRate) {
            this.dropPathRate = (float) dropPathRate;
            return this;
        }

        public Builder optLayerScaleInit(double layerScaleInit) {
            this.layerScaleInit = (float) layerScaleInit;
            return this;
        }

        public Builder optPath(DepthwiseConv.Path path) {
            this.path = path;
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the first invalid setting
         */
        public SLaKBlock build() {
            if (channels <= 0) {
                throw new IllegalArgumentException(
                        "SLaKBlock channels must be set and positive, got " + channels);
            }
            if (!(dropPathRate >= 0f && dropPathRate < 1f)) {
                throw new IllegalArgumentException(
                        "SLaK drop path rate must be in [0, 1), got " + dropPathRate);
            }
            if (!Float.isFinite(layerScaleInit)) {
                throw new IllegalArgumentException(
                        "SLaK layer scale init must be finite, got " + layerScaleInit);
            }
            return new SLaKBlock(this);
        }
    }
}
