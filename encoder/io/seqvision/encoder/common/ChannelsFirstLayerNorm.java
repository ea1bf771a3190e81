package io.seqvision.encoder.common;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Layer normalisation over the channel axis of a feature map, independently at every pixel: {@code
 * y[b,c,h,w] = gamma[c] * (x[b,c,h,w] - mean_c) / sqrt(var_c + eps) + beta[c]}, with the biased
 * variance over the C channels of that pixel.
 *
 * <p>Input: one array {@code (B, C, H, W)}. Output: the same shape. Parameters: {@code gamma} (C),
 * initialised to ones; {@code beta} (C), initialised to zeros. C is taken from the input shape at
 * initialisation.
 */
public final class ChannelsFirstLayerNorm extends AbstractBlock {

    private static final byte VERSION = 1;

    private final float epsilon;
    private final Parameter gamma;
    private final Parameter beta;

    private ChannelsFirstLayerNorm(Builder builder) {
        super(VERSION);
        this.epsilon = builder.epsilon;
        gamma =
                addParameter(
                        Parameter.builder().setName("gamma").setType(Parameter.Type.GAMMA).build());
        beta =
                addParameter(
                        Parameter.builder().setName("beta").setType(Parameter.Type.BETA).build());
    }

    public static Builder builder() {
        return new Builder();
    }

    public float getEpsilon() {
        return epsilon;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDArray input = inputs.singletonOrThrow();
        checkRank(input.getShape());
        Device device = input.getDevice();
        NDArray gammaArray = parameterStore.getValue(gamma, device, training);
        NDArray betaArray = parameterStore.getValue(beta, device, training);
        // The engine's fused layer norm works on trailing axes: move C last (a view) and back,
        // which on CPU is as fast as the explicit mean/variance ops and leaves fewer autograd
        // nodes.
        NDArray channelsLast = input.transpose(0, 2, 3, 1);
        NDArray normalised =
                LayerNorm.layerNorm(
                                channelsLast,
                                new Shape(input.getShape().get(1)),
                                gammaArray,
                                betaArray,
                                epsilon)
                        .singletonOrThrow();
        return new NDList(normalised.transpose(0, 3, 1, 2));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void beforeInitialize(Shape... inputShapes) {
        checkRank(inputShapes[0]);
        super.beforeInitialize(inputShapes);
    }

    @Override
    protected void prepare(Shape[] inputShapes) {
        Shape channels = new Shape(inputShapes[0].get(1));
        gamma.setShape(channels);
        beta.setShape(channels);
    }

    private static void checkRank(Shape shape) {
        if (shape.dimension() != 4) {
            throw new IllegalArgumentException(
                    "ChannelsFirstLayerNorm expects (B, C, H, W), got shape " + shape);
        }
    }

    /** Builds a {@link ChannelsFirstLayerNorm}; epsilon defaults to 1e-6. */
    public static final class Builder {
        private float epsilon = 1e-6f;

        private Builder() {}

        public Builder optEpsilon(float epsilon) {
            this.epsilon = epsilon;
            return this;
        }

        /**
         * @throws IllegalArgumentException if epsilon is not a positive finite number
         */
        public ChannelsFirstLayerNorm build() {
            if (!(epsilon > 0f) || Float.isInfinite(epsilon)) {
                throw new IllegalArgumentException(
                        "layer norm epsilon must be positive and finite, got " + epsilon);
            }
            return new ChannelsFirstLayerNorm(this);
        }
    }
}
