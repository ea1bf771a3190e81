package io.seqvision.encoder.convnext;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;

import io.seqvision.encoder.common.DropPath;

/**
 * The ConvNeXt residual block (Liu et al., arXiv 2201.03545): {@code x + dropPath(gamma *
 * Linear(4C->C)(GELU(Linear(C->4C)(LN(dwconv(x))))))}.
 *
 * <p>The depthwise conv runs channels-first; the norm and the two linears run on a channels-last
 * view, as in the official code, since DJL's {@link Linear} acts on the last axis.
 *
 * <p>Input: {@code (B, C, H, W)}. Output: the same shape. Parameters (names as DJL reports them,
 * each prefixed by its child index): {@code dwconv} weight {@code (C, 1, k, k)} and bias {@code
 * (C)}; {@code norm} gamma and beta {@code (C)}; {@code pwconv1} weight {@code (4C, C)} and bias
 * {@code (4C)}; {@code pwconv2} weight {@code (C, 4C)} and bias {@code (C)}; {@code layerScale}
 * {@code (C)} when the layer scale is enabled.
 */
public final class ConvNeXtBlock extends AbstractBlock {

    /**
     * Conv and linear weights: normal with std 0.02. The official code calls timm's {@code
     * trunc_normal_(std=.02)}, whose cut-offs are the absolute values -2 and 2, i.e. 100 std away:
     * in effect an untruncated normal. DJL's TruncatedNormalInitializer cuts at 2 std, which would
     * shrink the std to about 0.0176, so it is not used.
     */
    static final Initializer WEIGHT_INIT = new NormalInitializer(0.02f);

    static final float LAYER_NORM_EPS = 1e-6f;
    private static final int MLP_RATIO = 4;
    private static final byte VERSION = 1;

    private final int channels;
    private final int kernelSize;
    private final float dropPathRate;
    private final float layerScaleInit;

    private final Conv2d dwconv;
    private final LayerNorm norm;
    private final Linear pwconv1;
    private final Linear pwconv2;
    private final Parameter layerScale;

    private ConvNeXtBlock(Builder builder) {
        super(VERSION);
        channels = builder.channels;
        kernelSize = builder.kernelSize;
        dropPathRate = builder.dropPathRate;
        layerScaleInit = builder.layerScaleInit;
        if (layerScaleInit > 0f) {
            layerScale =
                    addParameter(
                            Parameter.builder()
                                    .setName("layerScale")
                                    .setType(Parameter.Type.OTHER)
                                    .optShape(new Shape(channels))
                                    .optInitializer(new ConstantInitializer(layerScaleInit))
                                    .build());
        } else {
            layerScale = null;
        }
        int padding = kernelSize / 2;
        dwconv =
                addChildBlock(
                        "dwconv",
                        Conv2d.builder()
                                .setKernelShape(new Shape(kernelSize, kernelSize))
                                .optPadding(new Shape(padding, padding))
                                .optGroups(channels)
                                .setFilters(channels)
                                .build());
        // axis 3 of the channels-last view (B, H, W, C)
        norm =
                addChildBlock(
                        "norm", LayerNorm.builder().axis(3).optEpsilon(LAYER_NORM_EPS).build());
        pwconv1 = addChildBlock("pwconv1", Linear.builder().setUnits(MLP_RATIO * channels).build());
        pwconv2 = addChildBlock("pwconv2", Linear.builder().setUnits(channels).build());
        setInitializer(WEIGHT_INIT, Parameter.Type.WEIGHT);
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

    public float getDropPathRate() {
        return dropPathRate;
    }

    /** The layer scale's initial value; 0 when the block has no layer scale. */
    public float getLayerScaleInit() {
        return Math.max(layerScaleInit, 0f);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDArray input = inputs.singletonOrThrow();
        checkInput(input.getShape());
        NDArray x = dwconv.forward(parameterStore, new NDList(input), training).singletonOrThrow();
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
        dwconv.initialize(manager, dataType, input);
        norm.initialize(manager, dataType, channelsLast);
        pwconv1.initialize(manager, dataType, channelsLast);
        pwconv2.initialize(manager, dataType, pwconv1.getOutputShapes(new Shape[] {channelsLast}));
    }

    private void checkInput(Shape shape) {
        if (shape.dimension() != 4 || shape.get(1) != channels) {
            throw new IllegalArgumentException(
                    "ConvNeXtBlock with "
                            + channels
                            + " channels expects input (B, "
                            + channels
                            + ", H, W), got shape "
                            + shape);
        }
    }

    /**
     * Builds a {@link ConvNeXtBlock}. Required: {@link #setChannels}. Defaults: kernel 7, drop path
     * 0, layer scale init 1e-6 (a value {@code <= 0} disables the layer scale).
     */
    public static final class Builder {
        private int channels;
        private int kernelSize = 7;
        private float dropPathRate;
        private float layerScaleInit = 1e-6f;

        private Builder() {}

        public Builder setChannels(int channels) {
            this.channels = channels;
            return this;
        }

        /** Depthwise kernel size, odd so that padding {@code k/2} keeps the spatial size. */
        public Builder optKernelSize(int kernelSize) {
            this.kernelSize = kernelSize;
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

        /**
         * @throws IllegalArgumentException naming the first invalid setting
         */
        public ConvNeXtBlock build() {
            if (channels <= 0) {
                throw new IllegalArgumentException(
                        "ConvNeXtBlock channels must be set and positive, got " + channels);
            }
            checkKernelSize(kernelSize);
            checkDropPathRate(dropPathRate);
            checkLayerScaleInit(layerScaleInit);
            return new ConvNeXtBlock(this);
        }
    }

    static void checkKernelSize(int kernelSize) {
        if (kernelSize <= 0 || kernelSize % 2 == 0) {
            throw new IllegalArgumentException(
                    "ConvNeXt kernel size must be odd and positive, got " + kernelSize);
        }
    }

    static void checkDropPathRate(float rate) {
        if (!(rate >= 0f && rate < 1f)) {
            throw new IllegalArgumentException(
                    "ConvNeXt drop path rate must be in [0, 1), got " + rate);
        }
    }

    static void checkLayerScaleInit(float init) {
        if (!Float.isFinite(init)) {
            throw new IllegalArgumentException(
                    "ConvNeXt layer scale init must be finite, got " + init);
        }
    }
}
