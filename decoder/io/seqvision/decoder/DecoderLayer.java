package io.seqvision.decoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * One pre-LayerNorm transformer decoder layer:
 *
 * <pre>
 *   x = x + Dropout(CausalSelfAttention(LN1(x)))
 *   x = x + Dropout(CrossAttention(LN2(x), memory))
 *   x = x + Dropout(Linear(GELU(Linear(LN3(x)))))      D -> M -> D
 * </pre>
 *
 * <p>Input: {@code NDList[x (B, L, D), memory (B, N, D)]}, float. Output: {@code NDList[(B, L,
 * D)]}. Parameters: three LayerNorms over D, two {@link MultiHeadAttention} blocks (the first
 * causal), and the MLP's linear layers {@code (M, D)}, {@code (D, M)} with biases.
 */
public final class DecoderLayer extends AbstractBlock {

    private final int width;
    private final float dropout;

    private final LayerNorm selfAttentionNorm;
    private final MultiHeadAttention selfAttention;
    private final LayerNorm crossAttentionNorm;
    private final MultiHeadAttention crossAttention;
    private final LayerNorm mlpNorm;
    private final Linear mlpExpand;
    private final Linear mlpContract;

    private DecoderLayer(Builder builder) {
        width = builder.width;
        dropout = builder.dropout;
        selfAttentionNorm = addChildBlock("selfAttentionNorm", DecoderParts.layerNormOverLastAxisOf3d());
        selfAttention =
                addChildBlock(
                        "selfAttention",
                        MultiHeadAttention.builder()
                                .setWidth(width)
                                .setHeads(builder.heads)
                                .optCausal(true)
                                .optDropout(dropout)
                                .build());
        crossAttentionNorm = addChildBlock("crossAttentionNorm", DecoderParts.layerNormOverLastAxisOf3d());
        crossAttention =
                addChildBlock(
                        "crossAttention",
                        MultiHeadAttention.builder()
                                .setWidth(width)
                                .setHeads(builder.heads)
                                .optDropout(dropout)
                                .build());
        mlpNorm = addChildBlock("mlpNorm", DecoderParts.layerNormOverLastAxisOf3d());
        mlpExpand = addChildBlock("mlpExpand", DecoderParts.linear(builder.mlpDim));
        mlpContract = addChildBlock("mlpContract", DecoderParts.linear(width));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The causal self-attention block (for incremental decoding, which caches its keys). */
    public MultiHeadAttention selfAttention() {
        return selfAttention;
    }

    /** The cross-attention block (for incremental decoding, which caches its memory projection). */
    public MultiHeadAttention crossAttention() {
        return crossAttention;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDArray memory = inputs.get(1);

        NDArray normed = apply(selfAttentionNorm, parameterStore, x, training);
        x = x.add(residualDropout(
                selfAttention.forward(parameterStore, new NDList(normed, normed), training).head(),
                training));

        normed = apply(crossAttentionNorm, parameterStore, x, training);
        x = x.add(residualDropout(
                crossAttention.forward(parameterStore, new NDList(normed, memory), training).head(),
                training));

        normed = apply(mlpNorm, parameterStore, x, training);
        NDArray hidden = Activation.gelu(apply(mlpExpand, parameterStore, normed, training));
        x = x.add(residualDropout(apply(mlpContract, parameterStore, hidden, training), training));
        return new NDList(x);
    }

    /**
     * Projects the memory into the cross-attention's keys and values, the part of a {@link
     * KeyValueCache} computed once per generation.
     *
     * @param memory {@code (B, N, D)}
     * @return {@code NDList[keys (B, H, N, D / H), values (B, H, N, D / H)]}
     */
    NDList projectMemory(ParameterStore parameterStore, NDArray memory) {
        return crossAttention.projectKeysAndValues(parameterStore, memory, false);
    }

    /**
     * The layer applied to new positions only, at inference: the same function as {@code
     * forward} restricted to the last {@code n} positions, given the keys and values of the earlier
     * positions and of the memory from {@code cache}. Appends this layer's new self-attention keys
     * and values to the cache. A cache whose rows have different lengths ({@link
     * BatchingKeyValueCache}) masks the positions that are not a row's own.
     *
     * @param x {@code (B, n, D)}: the inputs at positions {@code cache.length() .. + n - 1};
     *     overwritten (the residual adds are in place)
     * @return {@code (B, n, D)}
     */
    NDArray step(ParameterStore parameterStore, NDArray x, StepCache cache, int layerIndex) {
        NDArray normed = apply(selfAttentionNorm, parameterStore, x, false);
        NDList projected = selfAttention.projectQueryKeyValue(normed, cache.selfProjection(layerIndex));
        NDList cached = cache.appendSelf(layerIndex, projected.get(1), projected.get(2));
        // In-place residual adds: x is this step's own array, and each add saves an allocation.
        x = x.addi(selfAttention.attendTransposed(parameterStore, projected.get(0), cached.get(0), cached.get(1),
                cache.scale(), cache.selfKeyMask(), false));

        normed = apply(crossAttentionNorm, parameterStore, x, false);
        NDArray queries = crossAttention.projectQuery(parameterStore, normed, false);
        x = x.addi(crossAttention.attendTransposed(parameterStore, queries, cache.crossKeysTransposed(layerIndex),
                cache.crossValues(layerIndex), cache.scale(), false));

        normed = apply(mlpNorm, parameterStore, x, false);
        NDArray hidden = Activation.gelu(apply(mlpExpand, parameterStore, normed, false));
        return x.addi(apply(mlpContract, parameterStore, hidden, false));
    }

    private static NDArray apply(
            AbstractBlock block, ParameterStore parameterStore, NDArray x, boolean training) {
        return block.forward(parameterStore, new NDList(x), training).singletonOrThrow();
    }

    private NDArray residualDropout(NDArray branch, boolean training) {
        if (!training || dropout == 0f) {
            return branch;
        }
        return Dropout.dropout(branch, dropout, true).singletonOrThrow();
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape x = inputShapes[0];
        Shape memory = inputShapes[1];
        selfAttentionNorm.initialize(manager, dataType, x);
        selfAttention.initialize(manager, dataType, x, x);
        crossAttentionNorm.initialize(manager, dataType, x);
        crossAttention.initialize(manager, dataType, x, memory);
        mlpNorm.initialize(manager, dataType, x);
        mlpExpand.initialize(manager, dataType, x);
        Shape expanded = mlpExpand.getOutputShapes(new Shape[] {x})[0];
        mlpContract.initialize(manager, dataType, expanded);
    }

    /** Builder: {@code setWidth}, {@code setHeads} and {@code setMlpDim} are required. */
    public static final class Builder {
        private int width;
        private int heads;
        private int mlpDim;
        private float dropout;

        private Builder() {}

        /** Model width {@code D}. */
        public Builder setWidth(int width) {
            this.width = width;
            return this;
        }

        /** Attention heads; must divide the width. */
        public Builder setHeads(int heads) {
            this.heads = heads;
            return this;
        }

        /** Hidden width {@code M} of the MLP. */
        public Builder setMlpDim(int mlpDim) {
            this.mlpDim = mlpDim;
            return this;
        }

        /** Dropout on the residual branches and attention weights, in [0, 1) (default 0). */
        public Builder optDropout(float dropout) {
            this.dropout = dropout;
            return this;
        }

        public DecoderLayer build() {
            if (width <= 0) {
                throw new IllegalArgumentException("decoder layer width must be positive, got " + width);
            }
            if (mlpDim <= 0) {
                throw new IllegalArgumentException("decoder layer mlpDim must be positive, got " + mlpDim);
            }
            DecoderParts.checkDropout(dropout);
            return new DecoderLayer(this);
        }
    }
}
