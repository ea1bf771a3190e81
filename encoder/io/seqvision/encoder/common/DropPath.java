package io.seqvision.encoder.common;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.seqvision.encoder.engine.Scalars;

/**
 * Stochastic depth ("drop path") for a residual branch: in training, each sample's whole branch is
 * zeroed with probability {@code rate} and otherwise scaled by {@code 1 / (1 - rate)}, so its
 * expectation is unchanged; at inference it is the identity.
 *
 * <p>Input: one array of shape {@code (B, ...)}. Output: the same shape. No parameters.
 */
public final class DropPath extends AbstractBlock {

    private static final byte VERSION = 1;

    private final float rate;

    private DropPath(Builder builder) {
        super(VERSION);
        this.rate = builder.rate;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Probability that a sample's branch is dropped in training. */
    public float getRate() {
        return rate;
    }

    /**
     * Applies drop path to {@code branch} of shape {@code (B, ...)}; one keep/drop draw per sample
     * (index along axis 0).
     *
     * @throws IllegalArgumentException if {@code rate} is outside {@code [0, 1)}
     */
    public static NDArray apply(NDArray branch, float rate, boolean training) {
        checkRate(rate);
        if (!training || rate == 0f) {
            return branch;
        }
        float keep = 1f - rate;
        long[] maskShape = new long[branch.getShape().dimension()];
        java.util.Arrays.fill(maskShape, 1L);
        maskShape[0] = branch.getShape().get(0);
        NDArray uniform =
                branch.getManager()
                        .randomUniform(
                                0f,
                                1f,
                                new Shape(maskShape),
                                branch.getDataType(),
                                branch.getDevice());
        NDArray scaledMask = Scalars.div(uniform.lt(keep).toType(branch.getDataType(), false), keep);
        return branch.mul(scaledMask);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        return new NDList(apply(inputs.singletonOrThrow(), rate, training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    private static void checkRate(float rate) {
        if (!(rate >= 0f && rate < 1f)) {
            throw new IllegalArgumentException("drop path rate must be in [0, 1), got " + rate);
        }
    }

    /** Builds a {@link DropPath}; the rate defaults to 0 (identity). */
    public static final class Builder {
        private float rate;

        private Builder() {}

        public Builder optRate(double rate) {
            this.rate = (float) rate;
            return this;
        }

        /**
         * @throws IllegalArgumentException if the rate is outside {@code [0, 1)}
         */
        public DropPath build() {
            checkRate(rate);
            return new DropPath(this);
        }
    }
}
