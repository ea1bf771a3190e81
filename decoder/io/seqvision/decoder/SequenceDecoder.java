package io.seqvision.decoder;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import io.seqvision.encoder.engine.Scalars;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * An autoregressive transformer decoder over token ids, conditioned on a memory of encoder
 * features through cross-attention.
 *
 * <p>Input: {@code NDList[tokens (B, L) integer, memory (B, N, D) float]} with {@code L <=
 * maxLength}. Output: {@code NDList[logits (B, L, V)]}, where position {@code i} holds the logits of
 * the token following {@code tokens[:, 0..i]}.
 *
 * <p>Parameters: token embedding {@code E (V, D)}, learned position embedding {@code (T, D)}, the
 * layers ({@link DecoderLayer}), a final LayerNorm over D, and an output bias {@code (V)}. The
 * output projection is tied to the token embedding: {@code logits = LN(h) E^T + bias}.
 * Initialisation: embeddings and linear weights truncated-normal with standard deviation 0.02,
 * biases zero, LayerNorm gamma 1 and beta 0.
 *
 * <p>Incremental decoding (inference): {@link #newCache} projects the memory once, then each
 * {@link #step} runs only the new tokens against the cached keys and values of the earlier ones,
 * giving the same logits as {@code forward} over the whole prefix (to float rounding).
 */
public final class SequenceDecoder extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int vocabSize;
    private final int maxLength;
    private final int width;
    private final int heads;
    private final int mlpDim;

    private final Parameter tokenEmbedding;
    private final Parameter positionEmbedding;
    private final Parameter outputBias;
    private final List<DecoderLayer> layers = new ArrayList<>();
    private final LayerNorm finalNorm;

    private SequenceDecoder(Builder builder) {
        super(VERSION);
        vocabSize = builder.vocabSize;
        maxLength = builder.maxLength;
        width = builder.width;
        heads = builder.heads;
        mlpDim = builder.mlpDim;
        tokenEmbedding =
                addParameter(
                        Parameter.builder()
                                .setName("tokenEmbedding")
                                .setType(Parameter.Type.WEIGHT)
                                .optShape(new Shape(vocabSize, width))
                                .optInitializer(
                                        builder.ordinalCount > 0
                                                ? new OrdinalEmbeddingInitializer(
                                                        DecoderParts.weightInitializer(),
                                                        builder.ordinalStart,
                                                        builder.ordinalCount)
                                                : DecoderParts.weightInitializer())
                                .build());
        positionEmbedding =
                addParameter(
                        Parameter.builder()
                                .setName("positionEmbedding")
                                .setType(Parameter.Type.WEIGHT)
                                .optShape(new Shape(maxLength, width))
                                .optInitializer(DecoderParts.weightInitializer())
                                .build());
        outputBias =
                addParameter(
                        Parameter.builder()
                                .setName("outputBias")
                                .setType(Parameter.Type.BIAS)
                                .optShape(new Shape(vocabSize))
                                .build());
        for (int i = 0; i < builder.layers; i++) {
            layers.add(
                    addChildBlock(
                            "layer" + i,
                            DecoderLayer.builder()
                                    .setWidth(width)
                                    .setHeads(heads)
                                    .setMlpDim(mlpDim)
                                    .optDropout(builder.dropout)
                                    .build()));
        }
        finalNorm = addChildBlock("finalNorm", DecoderParts.layerNormOverLastAxisOf3d());
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Vocabulary size {@code V}. */
    public int vocabSize() {
        return vocabSize;
    }

    /** Longest token sequence {@code T} the position embedding covers. */
    public int maxLength() {
        return maxLength;
    }

    /** Model width {@code D}; the memory's last axis must equal it. */
    public int width() {
        return width;
    }

    public int heads() {
        return heads;
    }

    public int mlpDim() {
        return mlpDim;
    }

    /** The decoder layers in order (unmodifiable). */
    public List<DecoderLayer> layers() {
        return Collections.unmodifiableList(layers);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        if (inputs.size() != 2) {
            throw new IllegalArgumentException(
                    "SequenceDecoder expects NDList[tokens, memory], got " + inputs.size() + " arrays");
        }
        NDArray tokens = inputs.get(0);
        NDArray memory = inputs.get(1);
        Shape memoryShape = memory.getShape();
        checkMemory(memoryShape);
        if (tokens.getShape().dimension() == 2 && tokens.getShape().get(0) != memoryShape.get(0)) {
            throw new IllegalArgumentException(
                    "tokens batch "
                            + tokens.getShape().get(0)
                            + " differs from memory batch "
                            + memoryShape.get(0));
        }
        NDArray x = embed(parameterStore, tokens, 0, training);
        for (DecoderLayer layer : layers) {
            x = layer.forward(parameterStore, new NDList(x, memory), training).singletonOrThrow();
        }
        return new NDList(outputLogits(parameterStore, x, training));
    }

    /**
     * Starts incremental decoding: projects the memory into every layer's cross-attention keys and
     * values and returns a cache with no positions yet. Inference only (no dropout).
     *
     * @param memory {@code (B, N, D)}
     * @param manager the cache's arrays live in a new sub-manager of it, freed by {@link
     *     KeyValueCache#close()} (or when {@code manager} closes)
     * @throws IllegalArgumentException if the memory's shape is not {@code (B, N, D)}
     */
    public KeyValueCache newCache(ParameterStore parameterStore, NDArray memory, NDManager manager) {
        checkMemory(memory.getShape());
        NDManager cacheManager = manager.newSubManager();
        try (NDManager work = cacheManager.newSubManager()) {
            work.tempAttachAll(memory);
            NDList[] crossKeysAndValues = new NDList[layers.size()];
            NDList[] selfProjections = new NDList[layers.size()];
            for (int i = 0; i < layers.size(); i++) {
                crossKeysAndValues[i] = layers.get(i).projectMemory(parameterStore, memory);
                crossKeysAndValues[i].attach(cacheManager);
                selfProjections[i] = layers.get(i).selfAttention().fusedQueryKeyValue(parameterStore, memory.getDevice());
                selfProjections[i].attach(cacheManager);
            }
            // Every attention block of the decoder has the same width and heads, so one scale serves all.
            NDArray scale = Scalars.of(memory, layers.get(0).selfAttention().scale());
            scale.attach(cacheManager);
            return new KeyValueCache(cacheManager, crossKeysAndValues, selfProjections, scale,
                    memory.getShape().get(0), maxLength);
        } catch (RuntimeException e) {
            cacheManager.close();
            throw e;
        }
    }

    /**
     * Incremental decoding: logits for {@code n} new tokens that follow the {@code cache.length()}
     * positions already in {@code cache}, which then holds {@code cache.length() + n} positions.
     * Equal (to float rounding) to the last {@code n} positions of {@code forward} over the whole
     * sequence, at a cost proportional to {@code n} instead of the whole length. Inference only (no
     * dropout). Feed the prompt as the first step, then one token per step.
     *
     * @param tokens {@code (B, n)} integer ids; {@code B} must equal {@code cache.batchSize()}.
     *     Arrays this step makes, the returned logits included, belong to {@code tokens}' manager.
     * @param cache from {@link #newCache} of this decoder
     * @return logits {@code (B, n, V)}
     * @throws IllegalArgumentException if the batch differs from the cache's, or the positions
     *     would exceed {@link #maxLength()}
     * @throws IllegalStateException if the cache is closed or an earlier step on it failed
     */
    public NDArray step(ParameterStore parameterStore, NDArray tokens, KeyValueCache cache) {
        if (cache.layers() != layers.size()) {
            throw new IllegalArgumentException(
                    "the cache holds " + cache.layers() + " layers but this decoder has " + layers.size());
        }
        Shape shape = tokens.getShape();
        if (shape.dimension() != 2) {
            throw new IllegalArgumentException("tokens must have shape (B, n), got " + shape);
        }
        if (cache.length() + shape.get(1) > maxLength) {
            throw new IllegalArgumentException(
                    "token sequence length "
                            + (cache.length() + shape.get(1))
                            + " exceeds the decoder's maximum length "
                            + maxLength);
        }
        cache.beginStep(tokens.getManager(), shape.get(0));
        boolean succeeded = false;
        try {
            NDArray x = embed(parameterStore, tokens, cache.length(), false);
            for (int i = 0; i < layers.size(); i++) {
                x = layers.get(i).step(parameterStore, x, cache, i);
            }
            NDArray logits = outputLogits(parameterStore, x, false);
            succeeded = true;
            return logits;
        } finally {
            cache.endStep((int) shape.get(1), succeeded);
        }
    }

    /**
     * Starts a cache for continuous batching, with no rows yet: rows join with {@link #addRows} and
     * leave with {@link BatchingKeyValueCache#retainRows}, and {@link #stepRows} feeds each its next
     * token. Inference only.
     *
     * @param manager the cache's arrays live in a new sub-manager of it, freed by {@link
     *     BatchingKeyValueCache#close()}
     */
    public BatchingKeyValueCache newBatchingCache(NDManager manager) {
        return new BatchingKeyValueCache(manager.newSubManager(), this, layers.size());
    }

    /**
     * Adds one row per memory row to {@code cache}, each starting at position 0: projects the memory
     * into every layer's cross-attention keys and values (once; the cache keeps them, not the memory).
     *
     * @param memory {@code (B, N, D)}; N must equal that of the rows already in the cache
     * @throws IllegalArgumentException if the memory's shape is not {@code (B, N, D)} or N differs
     */
    public void addRows(ParameterStore parameterStore, NDArray memory, BatchingKeyValueCache cache) {
        checkMemory(memory.getShape());
        if (cache.memoryLength() >= 0 && memory.getShape().get(1) != cache.memoryLength()) {
            throw new IllegalArgumentException("memory of length " + memory.getShape().get(1)
                    + " cannot join rows whose memory has length " + cache.memoryLength());
        }
        try (NDManager work = NDManager.newBaseManager(memory.getDevice())) {
            // Results of operations on the memory must not land in the memory's (the caller's) manager.
            work.tempAttachAll(memory);
            NDList[] crossKeysAndValues = new NDList[layers.size()];
            for (int i = 0; i < layers.size(); i++) {
                crossKeysAndValues[i] = layers.get(i).projectMemory(parameterStore, memory);
                cache.adopt(crossKeysAndValues[i]);
            }
            // The stacked projections and the scale are made once per batch, when its first rows join.
            NDList[] selfProjections = null;
            NDArray scale = null;
            if (cache.rows() == 0) {
                selfProjections = new NDList[layers.size()];
                for (int i = 0; i < layers.size(); i++) {
                    selfProjections[i] = layers.get(i).selfAttention().fusedQueryKeyValue(parameterStore,
                            memory.getDevice());
                    cache.adopt(selfProjections[i]);
                }
                scale = Scalars.of(memory, layers.get(0).selfAttention().scale());
                cache.adopt(new NDList(scale));
            }
            cache.addRows(memory, crossKeysAndValues, selfProjections, scale);
        }
    }

    /**
     * Continuous batching's step: one new token for every row of {@code cache}, each at its own
     * position (the row's length so far), attending only to its own earlier positions and its own
     * memory. Per row the same function as {@link #step} on a cache holding that row alone.
     *
     * @param tokens {@code (R, 1)} integer ids, {@code R = cache.rows()}. Arrays this step makes,
     *     the returned logits included, belong to {@code tokens}' manager.
     * @return logits {@code (R, 1, V)}
     * @throws IllegalArgumentException if the batch differs from the cache's rows
     * @throws IllegalStateException if the cache is closed or an earlier step on it failed
     */
    public NDArray stepRows(ParameterStore parameterStore, NDArray tokens, BatchingKeyValueCache cache) {
        Shape shape = tokens.getShape();
        if (shape.dimension() != 2 || shape.get(1) != 1) {
            throw new IllegalArgumentException("tokens must have shape (R, 1), got " + shape);
        }
        int[] positions = cache.beginStep(tokens.getManager(), shape.get(0));
        boolean succeeded = false;
        try {
            for (int position : positions) {
                if (position >= maxLength) {
                    throw new IllegalArgumentException("token sequence length " + (position + 1)
                            + " exceeds the decoder's maximum length " + maxLength);
                }
            }
            NDManager stepManager = tokens.getManager();
            NDArray positionIds = stepManager.create(positions, new Shape(positions.length, 1))
                    .toDevice(tokens.getDevice(), false);
            NDArray positionWeights = parameterStore.getValue(positionEmbedding, tokens.getDevice(), false);
            NDArray tokenWeights = parameterStore.getValue(tokenEmbedding, tokens.getDevice(), false);
            NDArray x = lookup(tokens, tokenWeights).addi(lookup(positionIds, positionWeights));
            for (int i = 0; i < layers.size(); i++) {
                x = layers.get(i).step(parameterStore, x, cache, i);
            }
            NDArray logits = outputLogits(parameterStore, x, false);
            succeeded = true;
            return logits;
        } finally {
            cache.endStep(succeeded);
        }
    }

    /**
     * Token plus position embedding.
     *
     * @param tokens {@code (B, L)} integer token ids in {@code [0, V)}
     * @param firstPosition the absolute position of {@code tokens[:, 0]} (0 for a full sequence;
     *     the cached length in incremental decoding)
     * @return {@code (B, L, D)}
     * @throws IllegalArgumentException if {@code firstPosition + L > maxLength}, naming both
     */
    public NDArray embed(
            ParameterStore parameterStore, NDArray tokens, int firstPosition, boolean training) {
        Shape shape = tokens.getShape();
        if (shape.dimension() != 2) {
            throw new IllegalArgumentException("tokens must have shape (B, L), got " + shape);
        }
        if (!tokens.getDataType().isInteger()) {
            throw new IllegalArgumentException(
                    "tokens must hold integer ids, got data type " + tokens.getDataType());
        }
        long length = shape.get(1);
        if (firstPosition < 0 || firstPosition + length > maxLength) {
            throw new IllegalArgumentException(
                    "token sequence length "
                            + (firstPosition + length)
                            + " exceeds the decoder's maximum length "
                            + maxLength);
        }
        NDArray tokenWeights = parameterStore.getValue(tokenEmbedding, tokens.getDevice(), training);
        NDArray positionWeights =
                parameterStore.getValue(positionEmbedding, tokens.getDevice(), training);
        // Results must belong to the caller's manager, not to the parameters' manager: the lookup is
        // called on the tokens' array and the position rows are attached to the tokens' manager.
        NDArray tokenVectors = lookup(tokens, tokenWeights);
        // The positions' rows (L, D), a view: one call instead of an arange and a lookup.
        NDArray positionVectors = positionWeights.get(new NDIndex().addSliceDim(firstPosition, firstPosition + length));
        positionVectors.attach(tokens.getManager());
        return tokenVectors.add(positionVectors);
    }

    /**
     * Final LayerNorm then the output projection tied to the token embedding.
     *
     * @param hidden {@code (B, L, D)} output of the last layer
     * @return logits {@code (B, L, V)}
     */
    public NDArray outputLogits(ParameterStore parameterStore, NDArray hidden, boolean training) {
        NDArray normed = finalNorm.forward(parameterStore, new NDList(hidden), training).singletonOrThrow();
        NDArray embedding = parameterStore.getValue(tokenEmbedding, hidden.getDevice(), training);
        NDArray bias = parameterStore.getValue(outputBias, hidden.getDevice(), training);
        return Linear.linear(normed, embedding, bias).singletonOrThrow();
    }

    private void checkMemory(Shape memoryShape) {
        if (memoryShape.dimension() != 3 || memoryShape.get(2) != width) {
            throw new IllegalArgumentException(
                    "memory must have shape (B, N, " + width + "), got " + memoryShape);
        }
    }

    private static NDArray lookup(NDArray ids, NDArray table) {
        return ids.getNDArrayInternal().embedding(ids, table, SparseFormat.DENSE).singletonOrThrow();
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape tokens = inputShapes[0];
        return new Shape[] {new Shape(tokens.get(0), tokens.get(1), vocabSize)};
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        if (inputShapes.length != 2) {
            throw new IllegalArgumentException(
                    "SequenceDecoder is initialised with shapes (tokens (B, L), memory (B, N, D)), got "
                            + inputShapes.length
                            + " shapes");
        }
        Shape tokens = inputShapes[0];
        if (tokens.get(1) > maxLength) {
            throw new IllegalArgumentException(
                    "token sequence length "
                            + tokens.get(1)
                            + " exceeds the decoder's maximum length "
                            + maxLength);
        }
        Shape hidden = new Shape(tokens.get(0), tokens.get(1), width);
        for (DecoderLayer layer : layers) {
            layer.initialize(manager, dataType, hidden, inputShapes[1]);
        }
        finalNorm.initialize(manager, dataType, hidden);
    }

    @Override
    protected void saveMetadata(DataOutputStream os) throws IOException {
        saveInputShapes(os);
        for (int value : configuration()) {
            os.writeInt(value);
        }
    }

    @Override
    public void loadMetadata(byte loadVersion, DataInputStream is)
            throws IOException, MalformedModelException {
        if (loadVersion != VERSION) {
            throw new MalformedModelException(
                    "SequenceDecoder parameters have version " + loadVersion + ", expected " + VERSION);
        }
        readInputShapes(is);
        String[] names = {"vocabSize", "maxLength", "width", "layers", "heads", "mlpDim"};
        int[] expected = configuration();
        for (int i = 0; i < names.length; i++) {
            int saved = is.readInt();
            if (saved != expected[i]) {
                throw new MalformedModelException(
                        "saved SequenceDecoder has "
                                + names[i]
                                + "="
                                + saved
                                + " but this decoder has "
                                + names[i]
                                + "="
                                + expected[i]);
            }
        }
    }

    private int[] configuration() {
        return new int[] {vocabSize, maxLength, width, layers.size(), heads, mlpDim};
    }

    /**
     * Builder: {@code setVocabSize} and {@code setMaxLength} are required; defaults follow
     * Pix2Seq's decoder (width 256, 6 layers, 8 heads, MLP 1024, dropout 0.1).
     */
    public static final class Builder {
        private int vocabSize;
        private int maxLength;
        private int width = 256;
        private int layers = 6;
        private int heads = 8;
        private int mlpDim = 1024;
        private float dropout = 0.1f;
        private int ordinalStart;
        private int ordinalCount;

        private Builder() {}

        /** Vocabulary size {@code V}. */
        public Builder setVocabSize(int vocabSize) {
            this.vocabSize = vocabSize;
            return this;
        }

        /** Longest token sequence {@code T}. */
        public Builder setMaxLength(int maxLength) {
            this.maxLength = maxLength;
            return this;
        }

        /** Model width {@code D} (default 256). */
        public Builder optWidth(int width) {
            this.width = width;
            return this;
        }

        /** Number of decoder layers (default 6). */
        public Builder optLayers(int layers) {
            this.layers = layers;
            return this;
        }

        /** Attention heads; must divide the width (default 8). */
        public Builder optHeads(int heads) {
            this.heads = heads;
            return this;
        }

        /** Hidden width of each layer's MLP (default 1024). */
        public Builder optMlpDim(int mlpDim) {
            this.mlpDim = mlpDim;
            return this;
        }

        /** Dropout on residual branches and attention weights, in [0, 1) (default 0.1). */
        public Builder optDropout(float dropout) {
            this.dropout = dropout;
            return this;
        }

        /**
         * Token ids {@code [start, start + count)} stand for ordered values, such as coordinate
         * bins: their embeddings start as an encoding of their rank (see {@link
         * OrdinalEmbeddingInitializer}) instead of independent random rows. Initialisation only;
         * the architecture is unchanged.
         */
        public Builder optOrdinalTokens(int start, int count) {
            this.ordinalStart = start;
            this.ordinalCount = count;
            return this;
        }

        public SequenceDecoder build() {
            requirePositive("vocabSize", vocabSize);
            requirePositive("maxLength", maxLength);
            requirePositive("width", width);
            requirePositive("layers", layers);
            requirePositive("heads", heads);
            requirePositive("mlpDim", mlpDim);
            if (width % heads != 0) {
                throw new IllegalArgumentException(
                        "decoder width " + width + " is not divisible by heads " + heads);
            }
            DecoderParts.checkDropout(dropout);
            if (ordinalCount != 0
                    && (ordinalStart < 0 || ordinalCount < 2 || ordinalStart + ordinalCount > vocabSize)) {
                throw new IllegalArgumentException("ordinal tokens [" + ordinalStart + ", "
                        + (ordinalStart + ordinalCount) + ") must lie within the vocabulary of " + vocabSize
                        + " and hold at least 2 tokens");
            }
            return new SequenceDecoder(this);
        }

        private static void requirePositive(String name, int value) {
            if (value <= 0) {
                throw new IllegalArgumentException(
                        "decoder " + name + " must be positive, got " + value);
            }
        }
    }
}
