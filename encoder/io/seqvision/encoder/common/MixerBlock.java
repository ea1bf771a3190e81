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
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;

/**
 * The residual block of the ConvNeXt-shaped families, around a family's spatial mixer; what differs
 * between ConvNeXt, SLaK, PeLK and HorNet is only the mixer and where it sits ({@link Layout}). The
 * shared tail is the official one: channels-last LayerNorm (eps 1e-6), {@code Linear(C->4C)}, GELU,
 * {@code Linear(4C->C)}, layer scale, drop path.
 *
 * <p>Input: {@code (B, C, H, W)}, plus whatever further arrays the mixer takes (PeLK's stage
 * embedding), passed to it unchanged. Output: {@code (B, C, H, W)}. Children and parameters use the
 * official module names, so that {@link OfficialWeights} maps them with no table:
 *
 * <ul>
 *   <li>{@link Layout#MIXER_THEN_MLP} (ConvNeXt, SLaK, PeLK): {@code x + dropPath(gamma *
 *       pwconv2(GELU(pwconv1(norm(mixer(x))))))}; children {@code <mixer>}, {@code norm}, {@code
 *       pwconv1} {@code (4C, C)} + bias, {@code pwconv2} {@code (C, 4C)} + bias; parameter {@code
 *       gamma (C)}.
 *   <li>{@link Layout#MIXER_RESIDUAL} (HorNet): {@code x = x + dropPath(gamma1 * mixer(norm1(x)))},
 *       then {@code x + dropPath(gamma2 * pwconv2(GELU(pwconv1(norm2(x)))))}; children {@code
 *       norm1} (channels-first LayerNorm), {@code <mixer>}, {@code norm2}, {@code pwconv1}, {@code
 *       pwconv2}; parameters {@code gamma1}, {@code gamma2 (C)}.
 * </ul>
 *
 * The layer scales exist only when their initial value is positive.
 *
 * @param <M> the mixer's type
 */
public final class MixerBlock<M extends Block> extends AbstractBlock {

    /** Where the mixer sits in the block. */
    public enum Layout {
        /** The mixer feeds the MLP inside one residual branch (ConvNeXt's block). */
        MIXER_THEN_MLP,
        /** The mixer is a pre-norm residual branch of its own, before the MLP's (HorNet's). */
        MIXER_RESIDUAL
    }

    /** LayerNorm epsilon of every official implementation. */
    public static final float LAYER_NORM_EPS = 1e-6f;

    private static final int MLP_RATIO = 4;
    private static final byte VERSION = 1;

    private final int channels;
    private final Layout layout;
    private final float dropPathRate;
    private final float layerScaleInit;

    private final Block mixerNorm;
    private final M mixer;
    private final LayerNorm norm;
    private final Linear pwconv1;
    private final Linear pwconv2;
    private final Parameter mixerScale;
    private final Parameter mlpScale;

    private MixerBlock(Builder<M> builder) {
        super(VERSION);
        channels = builder.channels;
        layout = builder.layout;
        dropPathRate = builder.dropPathRate;
        layerScaleInit = builder.layerScaleInit;
        boolean residual = layout == Layout.MIXER_RESIDUAL;
        mixerNorm = residual ? addChildBlock("norm1", ChannelsFirstLayerNorm.builder().build()) : null;
        mixer = addChildBlock(builder.mixerName, builder.mixer);
        norm = addChildBlock(residual ? "norm2" : "norm",
                LayerNorm.builder().axis(3).optEpsilon(LAYER_NORM_EPS).build());
        pwconv1 = addChildBlock("pwconv1", Linear.builder().setUnits(MLP_RATIO * channels).build());
        pwconv2 = addChildBlock("pwconv2", Linear.builder().setUnits(channels).build());
        boolean scaled = layerScaleInit > 0f;
        mixerScale = scaled && residual ? addParameter(layerScale("gamma1")) : null;
        mlpScale = scaled ? addParameter(layerScale(residual ? "gamma2" : builder.layerScaleName)) : null;
        setInitializer(StagedEncoder.WEIGHT_INIT, Parameter.Type.WEIGHT);
    }

    private Parameter layerScale(String name) {
        return Parameter.builder()
                .setName(name)
                .setType(Parameter.Type.OTHER)
                .optShape(new Shape(channels))
                .optInitializer(new ConstantInitializer(layerScaleInit))
                .build();
    }

    public static <M extends Block> Builder<M> builder() {
        return new Builder<>();
    }

    public int getChannels() {
        return channels;
    }

    public Layout getLayout() {
        return layout;
    }

    public float getDropPathRate() {
        return dropPathRate;
    }

    /** The layer scales' initial value; 0 when the block has none. */
    public float getLayerScaleInit() {
        return Math.max(layerScaleInit, 0f);
    }

    public M getMixer() {
        return mixer;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        checkInput(x.getShape());
        if (layout == Layout.MIXER_RESIDUAL) {
            NDArray branch = mixerNorm.forward(parameterStore, new NDList(x), training).singletonOrThrow();
            branch = mixer.forward(parameterStore, new NDList(branch), training).singletonOrThrow();
            if (mixerScale != null) {
                NDArray scale = parameterStore.getValue(mixerScale, x.getDevice(), training);
                branch = branch.mul(scale.reshape(channels, 1, 1));
            }
            x = x.add(DropPath.apply(branch, dropPathRate, training));
            return new NDList(x.add(mlpBranch(parameterStore, x, training)));
        }
        NDArray mixed = mixer.forward(parameterStore, inputs, training).singletonOrThrow();
        return new NDList(x.add(mlpBranch(parameterStore, mixed, training)));
    }

    /** {@code dropPath(scale * pwconv2(GELU(pwconv1(norm(x)))))} for channels-first {@code x}. */
    private NDArray mlpBranch(ParameterStore parameterStore, NDArray x, boolean training) {
        NDArray y = x.transpose(0, 2, 3, 1);
        y = norm.forward(parameterStore, new NDList(y), training).singletonOrThrow();
        y = pwconv1.forward(parameterStore, new NDList(y), training).singletonOrThrow();
        y = Activation.gelu(y);
        y = pwconv2.forward(parameterStore, new NDList(y), training).singletonOrThrow();
        if (mlpScale != null) {
            y = y.mul(parameterStore.getValue(mlpScale, x.getDevice(), training));
        }
        return DropPath.apply(y.transpose(0, 3, 1, 2), dropPathRate, training);
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
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape input = inputShapes[0];
        Shape channelsLast = new Shape(input.get(0), input.get(2), input.get(3), channels);
        if (mixerNorm != null) {
            mixerNorm.initialize(manager, dataType, input);
            mixer.initialize(manager, dataType, input);
        } else {
            mixer.initialize(manager, dataType, inputShapes);
        }
        norm.initialize(manager, dataType, channelsLast);
        pwconv1.initialize(manager, dataType, channelsLast);
        pwconv2.initialize(manager, dataType, pwconv1.getOutputShapes(new Shape[] {channelsLast}));
    }

    private void checkInput(Shape shape) {
        if (shape.dimension() != 4 || shape.get(1) != channels) {
            throw new IllegalArgumentException("block with " + channels + " channels expects input (B, "
                    + channels + ", H, W), got shape " + shape);
        }
    }

    /**
     * Builds a {@link MixerBlock}. Required: {@link #setChannels}, {@link #setMixer}. Defaults:
     * {@link Layout#MIXER_THEN_MLP}, drop path 0, layer scale init 1e-6 ({@code <= 0} disables it).
     */
    public static final class Builder<M extends Block> {
        private int channels;
        private String mixerName;
        private M mixer;
        private Layout layout = Layout.MIXER_THEN_MLP;
        private float dropPathRate;
        private float layerScaleInit = 1e-6f;
        private String layerScaleName = "gamma";

        private Builder() {}

        public Builder<M> setChannels(int channels) {
            this.channels = channels;
            return this;
        }

        /** The spatial mixer, a child named {@code name} (its official module name). */
        public Builder<M> setMixer(String name, M mixer) {
            this.mixerName = name;
            this.mixer = mixer;
            return this;
        }

        public Builder<M> optLayout(Layout layout) {
            this.layout = layout;
            return this;
        }

        public Builder<M> optDropPathRate(double dropPathRate) {
            this.dropPathRate = (float) dropPathRate;
            return this;
        }

        public Builder<M> optLayerScaleInit(double layerScaleInit) {
            this.layerScaleInit = (float) layerScaleInit;
            return this;
        }

        /**
         * The name the {@link Layout#MIXER_THEN_MLP} layer scale is saved under, {@code gamma} by
         * default; parameters saved by an earlier seqvision keep theirs ({@code layerScale}).
         */
        public Builder<M> optLayerScaleName(String layerScaleName) {
            this.layerScaleName = layerScaleName;
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the first invalid setting
         */
        public MixerBlock<M> build() {
            if (channels <= 0) {
                throw new IllegalArgumentException("block channels must be set and positive, got " + channels);
            }
            if (mixer == null || mixerName == null || mixerName.isBlank() || layout == null) {
                throw new IllegalArgumentException("a block needs a named mixer and a layout (setMixer)");
            }
            StagedEncoder.checkDropPathRate(dropPathRate);
            StagedEncoder.checkLayerScaleInit(layerScaleInit);
            return new MixerBlock<>(this);
        }
    }
}
