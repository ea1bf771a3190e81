package io.seqvision.encoder.internimage;

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
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;

import io.seqvision.encoder.common.DropPath;

/**
 * The basic InternImage layer ({@code InternImageLayer} in OpenGVLab/InternImage {@code
 * classification/models/intern_image.py}), channels-last. Pre-norm (InternImage-T/S/B): {@code x +=
 * dropPath(gamma1 * dcn(norm1(x)))}, {@code x += dropPath(gamma2 * mlp(norm2(x)))}. Post-norm (the
 * official {@code post_norm=True}, used by the larger models): {@code x += dropPath(gamma1 *
 * norm1(dcn(x)))}, {@code x += dropPath(gamma2 * norm2(mlp(x)))}. The layer scales {@code gamma}
 * exist only when a layer scale is configured (InternImage-T has none).
 *
 * <p>Input: {@code (B, H, W, C)}. Output: the same shape. Children and parameters (official names):
 * {@code norm1.0}, {@code norm2.0} (LayerNorm, eps 1e-6); {@code dcn} ({@link DCNv3}); {@code
 * mlp.fc1} {@code (rC, C)}, {@code mlp.fc2} {@code (C, rC)} with biases (weights normal with std
 * 0.02, biases 0); {@code gamma1}, {@code gamma2} {@code (C)} when enabled.
 */
public final class InternImageLayer extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int channels;
    private final boolean postNorm;
    private final float dropPathRate;

    private final LayerNorm norm1;
    private final DCNv3 dcn;
    private final LayerNorm norm2;
    private final Linear fc1;
    private final Linear fc2;
    private final Parameter gamma1;
    private final Parameter gamma2;

    private InternImageLayer(Builder builder) {
        super(VERSION);
        channels = builder.channels;
        postNorm = builder.postNorm;
        dropPathRate = builder.dropPathRate;
        norm1 = addChildBlock("norm1.0", layerNorm());
        dcn =
                addChildBlock(
                        "dcn",
                        DCNv3.builder()
                                .setChannels(channels)
                                .setGroups(builder.groups)
                                .optOffsetScale(builder.offsetScale)
                                .build());
        norm2 = addChildBlock("norm2.0", layerNorm());
        int hidden = (int) (channels * builder.mlpRatio);
        fc1 = addChildBlock("mlp.fc1", Linear.builder().setUnits(hidden).build());
        fc2 = addChildBlock("mlp.fc2", Linear.builder().setUnits(channels).build());
        NormalInitializer truncNormal = new NormalInitializer(0.02f);
        fc1.setInitializer(truncNormal, Parameter.Type.WEIGHT);
        fc2.setInitializer(truncNormal, Parameter.Type.WEIGHT);
        if (builder.layerScale > 0f) {
            gamma1 = addParameter(layerScale("gamma1", builder.layerScale));
            gamma2 = addParameter(layerScale("gamma2", builder.layerScale));
        } else {
            gamma1 = null;
            gamma2 = null;
        }
    }

    static LayerNorm layerNorm() {
        return LayerNorm.builder().axis(3).optEpsilon(DCNv3.LAYER_NORM_EPS).build();
    }

    private Parameter layerScale(String name, float value) {
        return Parameter.builder()
                .setName(name)
                .setType(Parameter.Type.OTHER)
                .optShape(new Shape(channels))
                .optInitializer(new ConstantInitializer(value))
                .build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public int getChannels() {
        return channels;
    }

    public boolean isPostNorm() {
        return postNorm;
    }

    public float getDropPathRate() {
        return dropPathRate;
    }

    public DCNv3 getDcn() {
        return dcn;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDArray input = inputs.singletonOrThrow();
        checkInput(input.getShape());
        NDArray branch =
                postNorm
                        ? apply(
                                norm1,
                                apply(dcn, input, parameterStore, training),
                                parameterStore,
                                training)
                        : apply(
                                dcn,
                                apply(norm1, input, parameterStore, training),
                                parameterStore,
                                training);
        NDArray x = input.add(residual(branch, gamma1, parameterStore, training));
        NDArray mlp =
                postNorm
                        ? apply(norm2, mlp(x, parameterStore, training), parameterStore, training)
                        : mlp(apply(norm2, x, parameterStore, training), parameterStore, training);
        return new NDList(x.add(residual(mlp, gamma2, parameterStore, training)));
    }

    private NDArray mlp(NDArray x, ParameterStore parameterStore, boolean training) {
        NDArray hidden = Activation.gelu(apply(fc1, x, parameterStore, training));
        return apply(fc2, hidden, parameterStore, training);
    }

    private NDArray residual(
            NDArray branch, Parameter gamma, ParameterStore parameterStore, boolean training) {
        if (gamma != null) {
            branch = branch.mul(parameterStore.getValue(gamma, branch.getDevice(), training));
        }
        return DropPath.apply(branch, dropPathRate, training);
    }

    private static NDArray apply(
            Block block, NDArray x, ParameterStore parameterStore, boolean training) {
        return block.forward(parameterStore, new NDList(x), training).singletonOrThrow();
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
        norm1.initialize(manager, dataType, input);
        dcn.initialize(manager, dataType, input);
        norm2.initialize(manager, dataType, input);
        fc1.initialize(manager, dataType, input);
        fc2.initialize(manager, dataType, fc1.getOutputShapes(new Shape[] {input}));
    }

    private void checkInput(Shape shape) {
        if (shape.dimension() != 4 || shape.get(3) != channels) {
            throw new IllegalArgumentException(
                    "InternImageLayer with "
                            + channels
                            + " channels expects channels-last input (B, H, W, "
                            + channels
                            + "), got shape "
                            + shape);
        }
    }

    /**
     * Builds an {@link InternImageLayer}. Required: {@link #setChannels}, {@link #setGroups}.
     * Defaults: MLP ratio 4, offset scale 1, pre-norm, no layer scale, drop path 0.
     */
    public static final class Builder {
        private int channels;
        private int groups;
        private double mlpRatio = 4;
        private double offsetScale = 1;
        private boolean postNorm;
        private float layerScale;
        private float dropPathRate;

        private Builder() {}

        public Builder setChannels(int channels) {
            this.channels = channels;
            return this;
        }

        public Builder setGroups(int groups) {
            this.groups = groups;
            return this;
        }

        public Builder optMlpRatio(double mlpRatio) {
            this.mlpRatio = mlpRatio;
            return this;
        }

        public Builder optOffsetScale(double offsetScale) {
            this.offsetScale = offsetScale;
            return this;
        }

        /** Normalises the branch outputs instead of their inputs (official {@code post_norm}). */
        public Builder optPostNorm(boolean postNorm) {
            this.postNorm = postNorm;
            return this;
        }

        /** Initial value of the layer scales; {@code <= 0} (the default) means none. */
        public Builder optLayerScale(double layerScale) {
            this.layerScale = (float) layerScale;
            return this;
        }

        public Builder optDropPathRate(double dropPathRate) {
            this.dropPathRate = (float) dropPathRate;
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the first invalid setting
         */
        public InternImageLayer build() {
            DCNv3.checkConfiguration(channels, groups);
            if (!(mlpRatio > 0) || (int) (channels * mlpRatio) < 1) {
                throw new IllegalArgumentException(
                        "InternImage MLP ratio must give at least one hidden unit, got "
                                + mlpRatio);
            }
            if (!(dropPathRate >= 0f && dropPathRate < 1f)) {
                throw new IllegalArgumentException(
                        "InternImage drop path rate must be in [0, 1), got " + dropPathRate);
            }
            if (!Float.isFinite(layerScale)) {
                throw new IllegalArgumentException(
                        "InternImage layer scale must be finite, got " + layerScale);
            }
            return new InternImageLayer(this);
        }
    }
}
