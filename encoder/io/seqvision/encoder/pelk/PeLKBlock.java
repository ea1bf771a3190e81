package io.seqvision.encoder.pelk;

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
 * The PeLK block: SLaK's (and ConvNeXt's) block with the spatial mixer replaced by a {@link
 * PartialPeripheralConv}: {@code x + dropPath(gamma * Linear(4C->C)(GELU(Linear(C->4C)(LN( mixer(x,
 * h))))))}, the norm and linears on a channels-last view, with {@code h} the stage's positional
 * embedding.
 *
 * <p>Input: {@code x (B, C, H, W)} and the embedding {@code (Cp, 1, K, K)} (omitted when the stage
 * has none). Output: {@code (B, C, H, W)}. Children and parameters: {@code mixer}, {@code norm}
 * (LayerNorm, eps 1e-6), {@code pwconv1} {@code (4C, C)} + bias, {@code pwconv2} {@code (C, 4C)} +
 * bias, {@code gamma} {@code (C)} when the layer scale is enabled.
 */
public final class PeLKBlock extends AbstractBlock {

    private static final float LAYER_NORM_EPS = 1e-6f;
    private static final int MLP_RATIO = 4;
    private static final byte VERSION = 1;

    private final int channels;
    private final float dropPathRate;

    private final PartialPeripheralConv mixer;
    private final LayerNorm norm;
    private final Linear pwconv1;
    private final Linear pwconv2;
    private final Parameter gamma;

    private PeLKBlock(Builder builder) {
        super(VERSION);
        channels = builder.channels;
        dropPathRate = builder.dropPathRate;
        mixer =
                addChildBlock(
                        "mixer",
                        PartialPeripheralConv.builder()
                                .setChannels(channels)
                                .setConvChannels(builder.convChannels)
                                .setKernelSize(builder.kernelSize)
                                .optCentreSize(builder.centreSize)
                                .optSmallKernelSize(builder.smallKernelSize)
                                .optPath(builder.path)
                                .build());
        norm =
                addChildBlock(
                        "norm", LayerNorm.builder().axis(3).optEpsilon(LAYER_NORM_EPS).build());
        pwconv1 = addChildBlock("pwconv1", Linear.builder().setUnits(MLP_RATIO * channels).build());
        pwconv2 = addChildBlock("pwconv2", Linear.builder().setUnits(channels).build());
        gamma =
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

    public PartialPeripheralConv getMixer() {
        return mixer;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDArray input = inputs.get(0);
        NDArray x = mixer.forward(parameterStore, inputs, training).singletonOrThrow();
        x = x.transpose(0, 2, 3, 1);
        x = norm.forward(parameterStore, new NDList(x), training).singletonOrThrow();
        x = pwconv1.forward(parameterStore, new NDList(x), training).singletonOrThrow();
        x = Activation.gelu(x);
        x = pwconv2.forward(parameterStore, new NDList(x), training).singletonOrThrow();
        if (gamma != null) {
            x = x.mul(parameterStore.getValue(gamma, input.getDevice(), training));
        }
        x = DropPath.apply(x.transpose(0, 3, 1, 2), dropPathRate, training);
        return new NDList(input.add(x));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape input = inputShapes[0];
        Shape channelsLast = new Shape(input.get(0), input.get(2), input.get(3), channels);
        mixer.initialize(manager, dataType, inputShapes);
        norm.initialize(manager, dataType, channelsLast);
        pwconv1.initialize(manager, dataType, channelsLast);
        pwconv2.initialize(manager, dataType, pwconv1.getOutputShapes(new Shape[] {channelsLast}));
    }

    /**
     * Builds a {@link PeLKBlock}. Required: {@link #setChannels}, {@link #setConvChannels}, {@link
     * #setKernelSize}. Defaults: 5x5 centre, no small kernel, drop path 0, layer scale 1e-6 ({@code
     * <= 0} disables it), {@link DepthwiseConv.Path#AUTO}.
     */
    public static final class Builder {
        private int channels;
        private int convChannels;
        private int kernelSize;
        private int centreSize = 5;
        private int smallKernelSize;
        private float dropPathRate;
        private float layerScaleInit = 1e-6f;
        private DepthwiseConv.Path path = DepthwiseConv.Path.AUTO;

        private Builder() {}

        public Builder setChannels(int channels) {
            this.channels = channels;
            return this;
        }

        public Builder setConvChannels(int convChannels) {
            this.convChannels = convChannels;
            return this;
        }

        public Builder setKernelSize(int kernelSize) {
            this.kernelSize = kernelSize;
            return this;
        }

        public Builder optCentreSize(int centreSize) {
            this.centreSize = centreSize;
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
        public PeLKBlock build() {
            if (!(dropPathRate >= 0f && dropPathRate < 1f)) {
                throw new IllegalArgumentException(
                        "PeLK drop path rate must be in [0, 1), got " + dropPathRate);
            }
            if (!Float.isFinite(layerScaleInit)) {
                throw new IllegalArgumentException(
                        "PeLK layer scale init must be finite, got " + layerScaleInit);
            }
            return new PeLKBlock(this);
        }
    }
}
