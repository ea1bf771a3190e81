package io.seqvision.decoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * The projected keys and values that incremental decoding keeps between steps, one entry per
 * {@link DecoderLayer}:
 *
 * <ul>
 *   <li>self-attention keys and values {@code (B, H, L, D / H)}, where {@code L} = {@link
 *       #length()} grows by the number of tokens each {@link SequenceDecoder#step} feeds (kept in
 *       buffers with spare room along L that double when full, so a step writes only its new
 *       positions);
 *   <li>cross-attention keys, transposed to {@code (B, H, D / H, N)}, and values {@code (B, H, N, D /
 *       H)} of the memory, computed once by {@link SequenceDecoder#newCache}, each in a row-major
 *       buffer of its own ({@link StepCache#crossEntries}).
 * </ul>
 *
 * <p>It also keeps what every step would otherwise remake (each DJL call costs microseconds of
 * overhead, and a step of a small decoder is mostly such calls): each layer's self-attention
 * query, key and value projections stacked into one, transposed views of the self-attention keys,
 * and the attention scale as an array.
 *
 * <p>Memory: every cached array belongs to this cache's own {@link NDManager} (a sub-manager of
 * the one given to {@code newCache}); {@link #close()} frees them all. Arrays made during a step
 * (including the logits it returns) belong to the manager of the step's token array, so a caller
 * that makes each step's tokens in a per-step sub-manager, closed after the step, keeps memory flat
 * over long sequences (the step also attaches the cached arrays to that manager while it runs).
 * A buffer that grows is closed as soon as its larger successor holds its contents.
 *
 * <p>Not thread-safe: one cache serves one generation at a time. A step that fails part-way leaves
 * the cache unusable (further steps throw), since some layers may already hold the new positions.
 */
public final class KeyValueCache extends StepCache implements AutoCloseable {

    /** Positions a fresh self-attention buffer holds before it first grows. */
    private static final long INITIAL_CAPACITY = 64;

    private final NDManager manager;
    private final int maxLength;
    private final NDArray[] crossValues;
    private final NDArray[] selfKeys;
    private final NDArray[] selfValues;
    /** Views of the keys as {@code (B, H, D / H, L)}, the form the attention's product takes. */
    private final NDArray[] crossKeysTransposed;
    private final NDArray[] selfKeysTransposed;
    private final NDList[] selfProjections;
    private final NDArray scale;
    private long batchSize;
    private int length;
    private boolean broken;

    /**
     * @param crossKeysAndValues per layer, the memory's cross-attention keys and values
     * @param selfProjections per layer, the self-attention's stacked projection {@code [weight (3D,
     *     D), bias (3D)]}
     * @param scale the attention scale, a 0-dimensional float32 array
     */
    KeyValueCache(NDManager manager, NDList[] crossKeysAndValues, NDList[] selfProjections, NDArray scale,
            long batchSize, int maxLength) {
        this.manager = manager;
        this.maxLength = maxLength;
        int layers = crossKeysAndValues.length;
        crossValues = new NDArray[layers];
        selfKeys = new NDArray[layers];
        selfValues = new NDArray[layers];
        crossKeysTransposed = new NDArray[layers];
        selfKeysTransposed = new NDArray[layers];
        for (int i = 0; i < layers; i++) {
            NDList cross = crossEntries(crossKeysAndValues[i]);
            crossKeysTransposed[i] = cross.get(0);
            crossValues[i] = cross.get(1);
        }
        this.selfProjections = selfProjections;
        this.scale = scale;
        this.batchSize = batchSize;
    }

    /** Positions cached so far: the absolute position of the next token fed to a step. */
    public int length() {
        return length;
    }

    /** Sequences in the cache, {@code B}. */
    public long batchSize() {
        return batchSize;
    }

    /** Number of decoder layers the cache holds entries for. */
    public int layers() {
        return crossKeysTransposed.length;
    }

    /** Whether the cache's arrays are still allocated. */
    public boolean isOpen() {
        return manager.isOpen();
    }

    /**
     * Keeps only the given sequences, in the given order; the batch size becomes {@code
     * rows.length}. Used when some sequences of a batch have finished: later steps then compute
     * nothing for them.
     *
     * @param rows indices into the current batch, each in {@code [0, batchSize())}, at least one
     * @throws IllegalArgumentException naming the first bad row
     */
    public void retainRows(int[] rows) {
        checkUsable();
        if (rows.length == 0) {
            throw new IllegalArgumentException("retainRows needs at least one row");
        }
        for (int row : rows) {
            if (row < 0 || row >= batchSize) {
                throw new IllegalArgumentException(
                        "row " + row + " is outside the cached batch [0, " + batchSize + ")");
            }
        }
        try (NDManager work = manager.newSubManager()) {
            NDArray index = work.create(rows).toType(DataType.INT64, false);
            for (int i = 0; i < layers(); i++) {
                crossKeysTransposed[i] = selectRows(crossKeysTransposed[i], index);
                crossValues[i] = selectRows(crossValues[i], index);
                selfKeys[i] = selectRows(selfKeys[i], index);
                selfKeysTransposed[i] = transposedView(selfKeysTransposed[i], selfKeys[i]);
                selfValues[i] = selectRows(selfValues[i], index);
            }
        }
        batchSize = rows.length;
    }

    /** A {@code (B, H, D / H, L)} view of {@code keys}, closing the view it replaces. */
    private static NDArray transposedView(NDArray old, NDArray keys) {
        if (old != null) {
            old.close();
        }
        return keys == null ? null : keys.transpose(0, 1, 3, 2);
    }

    private NDArray selectRows(NDArray array, NDArray index) {
        if (array == null) {
            return null;
        }
        NDArray kept = array.get(new NDIndex("{}", index));
        kept.attach(manager);
        array.close();
        return kept;
    }

    /** Frees every cached array. Idempotent. */
    @Override
    public void close() {
        manager.close();
    }

    // ---- used by SequenceDecoder.step and DecoderLayer.step ----

    /**
     * Starts a step whose intermediate arrays belong to {@code stepManager}: cached arrays are
     * temporarily attached to it, because DJL puts an operation's result in the manager of its
     * first operand and a cached key's transpose must not accumulate in the cache.
     */
    void beginStep(NDManager stepManager, long tokensBatch) {
        checkUsable();
        if (tokensBatch != batchSize) {
            throw new IllegalArgumentException(
                    "tokens batch " + tokensBatch + " differs from the cache's batch " + batchSize);
        }
        broken = true; // until endStep(true) says otherwise
        for (int i = 0; i < layers(); i++) {
            tempAttach(stepManager, crossValues[i], selfKeys[i], selfValues[i], crossKeysTransposed[i],
                    selfKeysTransposed[i]);
        }
    }

    /** Ends a step: every cached array returns to the cache's manager. */
    void endStep(int addedPositions, boolean succeeded) {
        for (int i = 0; i < layers(); i++) {
            reattach(manager, crossValues[i], selfKeys[i], selfValues[i], crossKeysTransposed[i],
                    selfKeysTransposed[i]);
        }
        if (succeeded) {
            length += addedPositions;
            broken = false;
        }
    }

    @Override
    NDArray selfKeyMask() {
        return null; // one length for every row, and a single query sees every earlier key
    }

    @Override
    NDArray crossValues(int layer) {
        return crossValues[layer];
    }

    /** The memory's cross-attention keys of one layer as {@code (B, H, D / H, N)}. */
    @Override
    NDArray crossKeysTransposed(int layer) {
        return crossKeysTransposed[layer];
    }

    /** One layer's self-attention projection stacked: {@code [weight (3D, D), bias (3D)]}. */
    @Override
    NDList selfProjection(int layer) {
        return selfProjections[layer];
    }

    /** The attention scale, a 0-dimensional float32 array. */
    @Override
    NDArray scale() {
        return scale;
    }

    /**
     * Appends a step's self-attention keys and values of one layer along the length axis.
     *
     * @param keys {@code (B, H, n, D / H)}
     * @param values {@code (B, H, n, D / H)}
     * @return {@code NDList[keys (B, H, D / H, L + n), values (B, H, L + n, D / H)]}: the cached
     *     positions followed by the new ones (views of the cache's buffers; the keys transposed)
     */
    @Override
    NDList appendSelf(int layer, NDArray keys, NDArray values) {
        int filled = length + (int) keys.getShape().get(2);
        NDArray keyBuffer = write(selfKeys[layer], keys, filled);
        if (keyBuffer != selfKeys[layer]) {
            selfKeysTransposed[layer] = transposedView(selfKeysTransposed[layer], keyBuffer);
            selfKeys[layer] = keyBuffer;
        }
        selfValues[layer] = write(selfValues[layer], values, filled);
        // NDIndex built directly: parsing an index string costs microseconds a step
        return new NDList(
                selfKeysTransposed[layer].get(new NDIndex().addAllDim(3).addSliceDim(0, filled)),
                selfValues[layer].get(new NDIndex().addAllDim(2).addSliceDim(0, filled)));
    }

    /**
     * Writes {@code added} at positions {@code [length, filled)} of a buffer whose length axis has
     * spare capacity, growing it (doubling, at most to the decoder's maximum length) when full, so
     * that a step neither copies nor allocates the whole cache: amortised O(n) per step.
     */
    private NDArray write(NDArray buffer, NDArray added, int filled) {
        long capacity = buffer == null ? 0 : buffer.getShape().get(2);
        if (filled > capacity) {
            Shape shape = added.getShape();
            long grown = Math.min(maxLength, Math.max(Math.max(2 * capacity, filled), INITIAL_CAPACITY));
            NDArray larger = added.getManager().zeros(
                    new Shape(shape.get(0), shape.get(1), grown, shape.get(3)), added.getDataType(), added.getDevice());
            if (buffer != null) {
                larger.set(new NDIndex(":, :, 0:{}, :", length), buffer.get(new NDIndex(":, :, 0:{}, :", length)));
                buffer.close();
            }
            buffer = larger;
        }
        buffer.set(new NDIndex().addAllDim(2).addSliceDim(length, filled), added);
        return buffer;
    }

    private void checkUsable() {
        if (!manager.isOpen()) {
            throw new IllegalStateException("the key/value cache has been closed");
        }
        if (broken) {
            throw new IllegalStateException(
                    "the key/value cache is unusable: an earlier step failed part-way");
        }
    }

}
