package io.seqvision.decoder;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import io.seqvision.encoder.engine.Scalars;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Multi-head scaled dot-product attention with learned query, key, value and output projections.
 *
 * <p>Input: {@code NDList[query (B, Lq, D), keyValue (B, Lk, D)]}, float. Output: {@code
 * NDList[(B, Lq, D)]}. Parameters: four linear layers {@code D -> D} with bias (query, key, value,
 * output). With {@code H} heads each head has width {@code D / H}; attention weights are {@code
 * softmax(q k^T / sqrt(D / H))} over the keys.
 *
 * <p>Causal attention: query {@code i} sits at absolute position {@code Lk - Lq + i} and attends to
 * keys at positions {@code <= Lk - Lq + i}. With {@code Lq == Lk} (the full-sequence case) that is
 * "position i sees keys 0..i"; with {@code Lq < Lk} it is the case of new queries appended after
 * cached keys.
 *
 * <p>The three steps are public so that incremental decoding can keep projected keys and values:
 * {@link #projectQuery}, {@link #projectKeysAndValues} (the part a cache stores, concatenated along
 * the length axis) and {@link #attend}. {@code forward} is exactly these three in order.
 */
public final class MultiHeadAttention extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int width;
    private final int heads;
    private final boolean causal;
    private final float dropout;

    private final Linear queryProjection;
    private final Linear keyProjection;
    private final Linear valueProjection;
    private final Linear outputProjection;

    private MultiHeadAttention(Builder builder) {
        super(VERSION);
        width = builder.width;
        heads = builder.heads;
        causal = builder.causal;
        dropout = builder.dropout;
        queryProjection = addChildBlock("query", DecoderParts.linear(width));
        keyProjection = addChildBlock("key", DecoderParts.linear(width));
        valueProjection = addChildBlock("value", DecoderParts.linear(width));
        outputProjection = addChildBlock("output", DecoderParts.linear(width));
    }

    public static Builder builder() {
        return new Builder();
    }

    public int width() {
        return width;
    }

    public int heads() {
        return heads;
    }

    public boolean isCausal() {
        return causal;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        if (inputs.size() != 2) {
            throw new IllegalArgumentException(
                    "MultiHeadAttention expects NDList[query, keyValue], got "
                            + inputs.size()
                            + " arrays");
        }
        NDArray query = inputs.get(0);
        NDArray keyValue = inputs.get(1);
        checkSequence("query", query.getShape());
        checkSequence("keyValue", keyValue.getShape());
        if (query.getShape().get(0) != keyValue.getShape().get(0)) {
            throw new IllegalArgumentException(
                    "query batch "
                            + query.getShape().get(0)
                            + " differs from keyValue batch "
                            + keyValue.getShape().get(0));
        }
        NDArray queryHeads = projectQuery(parameterStore, query, training);
        NDList keysAndValues = projectKeysAndValues(parameterStore, keyValue, training);
        return new NDList(
                attend(
                        parameterStore,
                        queryHeads,
                        keysAndValues.get(0),
                        keysAndValues.get(1),
                        training));
    }

    /**
     * Projects queries and splits them into heads.
     *
     * @param query {@code (B, Lq, D)}
     * @return {@code (B, H, Lq, D / H)}
     */
    public NDArray projectQuery(ParameterStore parameterStore, NDArray query, boolean training) {
        return splitHeads(
                queryProjection.forward(parameterStore, new NDList(query), training).singletonOrThrow());
    }

    /**
     * Projects keys and values and splits them into heads.
     *
     * @param keyValue {@code (B, Lk, D)}
     * @return {@code NDList[keys (B, H, Lk, D / H), values (B, H, Lk, D / H)]}
     */
    public NDList projectKeysAndValues(
            ParameterStore parameterStore, NDArray keyValue, boolean training) {
        NDList input = new NDList(keyValue);
        NDArray keys = keyProjection.forward(parameterStore, input, training).singletonOrThrow();
        NDArray values = valueProjection.forward(parameterStore, input, training).singletonOrThrow();
        return new NDList(splitHeads(keys), splitHeads(values));
    }

    /** The factor queries are multiplied by before the dot products with the keys: {@code 1 / sqrt(D / H)}. */
    public float scale() {
        return (float) (1.0 / Math.sqrt((double) width / heads));
    }

    /**
     * The query, key and value projections stacked into one linear layer, for a step that computes
     * all three with one matrix product (incremental decoding, where one call's cost is mostly per-op
     * overhead). The arrays are new copies in the parameters' manager; the caller attaches them where
     * they should live.
     *
     * @return {@code NDList[weight (3D, D), bias (3D)]}: rows {@code [0, D)} the query's, then key, value
     */
    NDList fusedQueryKeyValue(ParameterStore parameterStore, ai.djl.Device device) {
        NDList weights = new NDList(3);
        NDList biases = new NDList(3);
        for (Linear projection : new Linear[] {queryProjection, keyProjection, valueProjection}) {
            weights.add(parameterStore.getValue(projection.getParameters().get("weight"), device, false));
            biases.add(parameterStore.getValue(projection.getParameters().get("bias"), device, false));
        }
        return new NDList(NDArrays.concat(weights, 0), NDArrays.concat(biases, 0));
    }

    /**
     * Queries, keys and values of {@code x} with one matrix product, split into heads: the same
     * values as {@link #projectQuery} and {@link #projectKeysAndValues}.
     *
     * @param x {@code (B, L, D)}
     * @param fused {@code NDList[weight (3D, D), bias (3D)]} from {@link #fusedQueryKeyValue}
     * @return {@code NDList[queries, keys, values]}, each {@code (B, H, L, D / H)}
     */
    NDList projectQueryKeyValue(NDArray x, NDList fused) {
        NDArray projected = Linear.linear(x, fused.get(0), fused.get(1)).singletonOrThrow();
        long batch = x.getShape().get(0);
        long length = x.getShape().get(1);
        // (B, L, 3D) as (B, L, 3H, D/H); with one position that is already (B, 3H, 1, D/H) in memory.
        NDArray heads3 = length == 1
                ? projected.reshape(batch, 3L * heads, 1, width / heads)
                : projected.reshape(batch, length, 3L * heads, width / heads).transpose(0, 2, 1, 3);
        return heads3.split(3, 1);
    }

    /**
     * Attends projected queries to projected keys and values, merges the heads and applies the
     * output projection.
     *
     * @param queryHeads {@code (B, H, Lq, D / H)} from {@link #projectQuery}
     * @param keyHeads {@code (B, H, Lk, D / H)} from {@link #projectKeysAndValues}
     * @param valueHeads {@code (B, H, Lk, D / H)} from {@link #projectKeysAndValues}
     * @return {@code (B, Lq, D)}
     */
    public NDArray attend(
            ParameterStore parameterStore,
            NDArray queryHeads,
            NDArray keyHeads,
            NDArray valueHeads,
            boolean training) {
        try (NDArray scale = Scalars.of(queryHeads, scale())) {
            return attendTransposed(parameterStore, queryHeads, keyHeads.transpose(0, 1, 3, 2), valueHeads, scale,
                    training);
        }
    }

    /**
     * {@link #attend} with the keys already transposed and the scale already an array, the form
     * incremental decoding keeps between steps (a transposed view made once instead of a transpose
     * per step, a scale array made once instead of one upload per step). Same arithmetic.
     *
     * @param keysTransposed {@code (B, H, D / H, Lk)}
     * @param scale a 0-dimensional float32 array holding {@link #scale()}
     */
    public NDArray attendTransposed(
            ParameterStore parameterStore,
            NDArray queryHeads,
            NDArray keysTransposed,
            NDArray valueHeads,
            NDArray scale,
            boolean training) {
        return attendTransposed(parameterStore, queryHeads, keysTransposed, valueHeads, scale, null, training);
    }

    /**
     * {@link #attendTransposed(ParameterStore, NDArray, NDArray, NDArray, NDArray, boolean)} with an
     * additive key mask, for rows of one batch that own different key positions.
     *
     * @param keyMask {@code (B, 1, 1, Lk)}: 0 where a row may attend, negative infinity where not
     *     (every row needs one 0); null for none
     */
    NDArray attendTransposed(
            ParameterStore parameterStore,
            NDArray queryHeads,
            NDArray keysTransposed,
            NDArray valueHeads,
            NDArray scale,
            NDArray keyMask,
            boolean training) {
        long batch = queryHeads.getShape().get(0);
        long queryLength = queryHeads.getShape().get(2);
        long keyLength = keysTransposed.getShape().get(3);
        if (causal && queryLength > keyLength) {
            throw new IllegalArgumentException(
                    "causal attention needs at least as many keys as queries, got "
                            + queryLength
                            + " queries and "
                            + keyLength
                            + " keys");
        }
        NDArray scores = queryHeads.mul(scale).matMul(keysTransposed);
        // A single query sits after every key, so it sees them all: incremental decoding needs no mask.
        if (causal && queryLength > 1) {
            scores = hideFutureKeys(scores, queryLength, keyLength);
        }
        if (keyMask != null) {
            scores = scores.addi(keyMask);
        }
        NDArray weights = scores.softmax(-1);
        if (training && dropout > 0f) {
            weights = Dropout.dropout(weights, dropout, true).singletonOrThrow();
        }
        NDArray perHead = weights.matMul(valueHeads);
        // With one query, (B, H, 1, D/H) is already laid out as (B, 1, H, D/H): no transpose needed.
        NDArray merged = queryLength == 1
                ? perHead.reshape(batch, 1, width)
                : perHead.transpose(0, 2, 1, 3).reshape(batch, queryLength, width);
        return outputProjection
                .forward(parameterStore, new NDList(merged), training)
                .singletonOrThrow();
    }

    private NDArray splitHeads(NDArray sequence) {
        Shape shape = sequence.getShape();
        if (shape.get(1) == 1) {
            // One position: (B, 1, H, D/H) and (B, H, 1, D/H) share a memory layout, so a reshape is the transpose.
            return sequence.reshape(shape.get(0), heads, 1, width / heads);
        }
        return sequence.reshape(shape.get(0), shape.get(1), heads, width / heads)
                .transpose(0, 2, 1, 3);
    }

    private static NDArray hideFutureKeys(NDArray scores, long queryLength, long keyLength) {
        NDManager manager = scores.getManager();
        NDArray keyPositions = manager.arange(0, (int) keyLength);
        NDArray queryPositions =
                manager.arange((int) (keyLength - queryLength), (int) keyLength)
                        .reshape(queryLength, 1);
        NDArray visible = keyPositions.lte(queryPositions);
        // An additive (Lq, Lk) mask broadcasts over batch and heads; DJL's where() does not broadcast.
        Shape maskShape = visible.getShape();
        DataType type = scores.getDataType();
        NDArray mask =
                NDArrays.where(
                        visible,
                        manager.zeros(maskShape, type),
                        manager.full(maskShape, Float.NEGATIVE_INFINITY, type));
        return scores.add(mask);
    }

    private void checkSequence(String name, Shape shape) {
        if (shape.dimension() != 3 || shape.get(2) != width) {
            throw new IllegalArgumentException(
                    name + " must have shape (B, L, " + width + "), got " + shape);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape query = inputShapes[0];
        Shape keyValue = inputShapes.length > 1 ? inputShapes[1] : inputShapes[0];
        queryProjection.initialize(manager, dataType, query);
        keyProjection.initialize(manager, dataType, keyValue);
        valueProjection.initialize(manager, dataType, keyValue);
        outputProjection.initialize(manager, dataType, query);
    }

    @Override
    protected void saveMetadata(DataOutputStream os) throws IOException {
        saveInputShapes(os);
        os.writeInt(width);
        os.writeInt(heads);
        os.writeBoolean(causal);
    }

    @Override
    public void loadMetadata(byte loadVersion, DataInputStream is)
            throws IOException, MalformedModelException {
        if (loadVersion != VERSION) {
            throw new MalformedModelException(
                    "MultiHeadAttention parameters have version " + loadVersion + ", expected " + VERSION);
        }
        readInputShapes(is);
        int savedWidth = is.readInt();
        int savedHeads = is.readInt();
        boolean savedCausal = is.readBoolean();
        if (savedWidth != width || savedHeads != heads || savedCausal != causal) {
            throw new MalformedModelException(
                    "saved MultiHeadAttention has width="
                            + savedWidth
                            + ", heads="
                            + savedHeads
                            + ", causal="
                            + savedCausal
                            + " but this block has width="
                            + width
                            + ", heads="
                            + heads
                            + ", causal="
                            + causal);
        }
    }

    /** Builder: {@code setWidth} and {@code setHeads} are required. */
    public static final class Builder {
        private int width;
        private int heads;
        private boolean causal;
        private float dropout;

        private Builder() {}

        /** Model width {@code D}: the last axis of queries, keys, values and output. */
        public Builder setWidth(int width) {
            this.width = width;
            return this;
        }

        /** Number of heads {@code H}; must divide the width. */
        public Builder setHeads(int heads) {
            this.heads = heads;
            return this;
        }

        /** Whether each query may only see keys at its own position or earlier (default false). */
        public Builder optCausal(boolean causal) {
            this.causal = causal;
            return this;
        }

        /** Dropout rate on the attention weights during training, in [0, 1) (default 0). */
        public Builder optDropout(float dropout) {
            this.dropout = dropout;
            return this;
        }

        public MultiHeadAttention build() {
            if (width <= 0) {
                throw new IllegalArgumentException("attention width must be positive, got " + width);
            }
            if (heads <= 0) {
                throw new IllegalArgumentException("attention heads must be positive, got " + heads);
            }
            if (width % heads != 0) {
                throw new IllegalArgumentException(
                        "attention width " + width + " is not divisible by heads " + heads);
            }
            DecoderParts.checkDropout(dropout);
            return new MultiHeadAttention(this);
        }
    }
}
