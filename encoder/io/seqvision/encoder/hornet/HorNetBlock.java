package io.seqvision.encoder.hornet;

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

import io.seqvision.encoder.common.ChannelsFirstLayerNorm;
import io.seqvision.encoder.common.DropPath;

/**
 * The HorNet block ({@code Block} in raoyongming/HorNet {@code hornet.py}): {@code x = x +
 * dropPath(gamma1 * gnConv(LN(x)))}, then {@code x = x + dropPath(gamma2 *
 * Linear(4C->C)(GELU(Linear(C->4C)(LN(x)))))}, the second norm and the linears on a channels-last
 * view.
 *
 * <p>Input: {@code (B, C, H, W)}. Output: the same shape. Children and parameters (official names):
 * {@code norm1} (channels-first LayerNorm), {@code gnconv} ({@link GnConv}), {@code norm2}
 * (LayerNorm), {@code pwconv1} {@code (4C, C)} + bias, {@code pwconv2} {@code (C, 4C)} + bias,
 * {@code gamma1} and {@code gamma2} {@code (C)} (the layer scales, when enabled). LayerNorm eps
 * 1e-6.
 */
public final class HorNetBlock extends AbstractBlock {

    private static final float LAYER_NORM_EPS = 1e-6f;
    private static final int MLP_RATIO = 4;
    private static final byte VERSION = 1;

    private final int channels;
    private final float dropPathRate;
    private final float layerScaleInit;

    private final ChannelsFirstLayerNorm norm1;
    private final GnConv gnconv;
    private final LayerNorm norm2;
    private final Linear pwconv1;
    private final Linear pwconv2;
    private final Parameter gamma1;
    private final Parameter gamma2;

    private HorNetBlock(Builder builder) {
        super(VERSION);
        channels = builder.channels;
        dropPathRate = builder.dropPathRate;
        layerScaleInit = builder.layerScaleInit;
        norm1 = addChildBlock("norm1", ChannelsFirstLayerNorm.builder().build());
        gnconv =
                addChildBlock(
                        "gnconv",
                        GnConv.builder()
                                .setChannels(channels)
                                .setOrder(builder.order)
                                .optMixer(builder.mixer)
                                .optScale(builder.scale)
                                .build());
        norm2 =
                addChildBlock(
                        "norm2", LayerNorm.builder().axis(3).optEpsilon(LAYER_NORM_EPS).build());
        pwconv1 = addChildBlock("pwconv1", Linear.builder().setUnits(MLP_RATIO * channels).build());
        pwconv2 = addChildBlock("pwconv2", Linear.builder().setUnits(channels).build());
        gamma1 = layerScaleInit > 0f ? addParameter(layerScale("gamma1")) : null;
        gamma2 = layerScaleInit > 0f ? addParameter(layerScale("gamma2")) : null;
    }

    private Parameter layerScale(String name) {
        return Parameter.builder()
                .setName(name)
                .setType(Parameter.Type.OTHER)
                .optShape(new Shape(channels))
                .optInitializer(new ConstantInitializer(layerScaleInit))
                .build();
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

    /** The layer scales' initial value; 0 when the block has none. */
    public float getLayerScaleInit() {
        return Math.max(layerScaleInit, 0f);
    }

    public GnConv getGnConv() {
        return gnconv;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDArray input = inputs.singletonOrThrow();
        checkInput(input.getShape());
        NDArray branch = norm1.forward(parameterStore, inputs, training).singletonOrThrow();
        branch = gnconv.forward(parameterStore, new NDList(branch), training).singletonOrThrow();
        if (gamma1 != null) {
            NDArray scale = parameterStore.getValue(gamma1, input.getDevice(), training);
            branch = branch.mul(scale.reshape(channels, 1, 1));
        }
        NDArray x = input.add(DropPath.apply(branch, dropPathRate, training));

        NDArray mlp = x.transpose(0, 2, 3, 1);
        mlp = norm2.forward(parameterStore, new NDList(mlp), training).singletonOrThrow();
        mlp = pwconv1.forward(parameterStore, new NDList(mlp), training).singletonOrThrow();
        mlp = Activation.gelu(mlp);
        mlp = pwconv2.forward(parameterStore, new NDList(mlp), training).singletonOrThrow();
        if (gamma2 != null) {
            mlp = mlp.mul(parameterStore.getValue(gamma2, input.getDevice(), training));
        }
        mlp = DropPath.apply(mlp.transpose(0, 3, 1, 2), dropPathRate, training);
        return new NDList(x.add(mlp));
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
        norm1.initialize(manager, dataType, input);
        gnconv.initialize(manager, dataType, input);
        norm2.initialize(manager, dataType, channelsLast);
        pwconv1.initialize(manager, dataType, channelsLast);
        pwconv2.initialize(manager, dataType, pwconv1.getOutputShapes(new Shape[] {channelsLast}));
    }

    private void checkInput(Shape shape) {
        if (shape.dimension() != 4 || shape.get(1) != channels) {
            throw new IllegalArgumentException(
                    "HorNetBlock with "
                            + channels
                            + " channels expects input (B, "
                            + channels
                            + ", H, W), got shape "
                            + shape);
        }
    }

    /**
     * Builds a {@link HorNetBlock}. Required: {@link #setChannels} and {@link #setOrder}. Defaults:
     * the 7x7 depthwise mixer, scale 1/3, drop path 0, layer scale init 1e-6 ({@code <= 0} disables
     * the layer scales).
     */
    public static final class Builder {
        private int channels;
        private int order;
        private SpatialMixer mixer = SpatialMixer.depthwise7x7();
        private double scale = GnConv.OFFICIAL_SCALE;
        private float dropPathRate;
        private float layerScaleInit = 1e-6f;

        private Builder() {}

        public Builder setChannels(int channels) {
            this.channels = channels;
            return this;
        }

        public Builder setOrder(int order) {
            this.order = order;
            return this;
        }

        public Builder optMixer(SpatialMixer mixer) {
            this.mixer = mixer;
            return this;
        }

        public Builder optScale(double scale) {
            this.scale = scale;
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
        public HorNetBlock build() {
            if (channels <= 0) {
                throw new IllegalArgumentException(
                        "HorNetBlock channels must be set and positive, got " + channels);
            }
            if (!(dropPathRate >= 0f && dropPathRate < 1f)) {
                throw new IllegalArgumentException(
                        "HorNet drop path rate must be in [0, 1), got " + dropPathRate);
            }
            if (!Float.isFinite(layerScaleInit)) {
                throw new IllegalArgumentException(
                        "HorNet layer scale init must be finite, got " + layerScaleInit);
            }
            return new HorNetBlock(this);
        }
    }
}
