package io.seqvision.decoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;

/**
 * The key/value cache of continuous batching: a batch of rows that join and leave between steps,
 * each with its own memory, its own position and its own self-attention keys, decoded together
 * one token per row per step ({@link SequenceDecoder#stepRows}).
 *
 * <p>Layout, per {@link DecoderLayer}:
 *
 * <ul>
 *   <li>cross-attention keys, transposed to {@code (R, H, D / H, N)}, and values {@code (R, H, N, D /
 *       H)}, each row's computed once from its memory when it joins ({@link #addRows}), row-major
 *       ({@link StepCache#crossEntries});
 *   <li>self-attention keys and values {@code (R, H, C, D / H)} over shared <em>columns</em>: every
 *       step writes one column for all rows. A row that joins at column {@code s} owns the columns
 *       from {@code s} on, so its token at position {@code p} sits in column {@code s + p}; the
 *       columns before {@code s} are hidden from it by an additive key mask {@code (R, 1, 1, L)}.
 *       Attention ignores where a key sits, so this gives each row what decoding it alone gives.
 * </ul>
 *
 * <p>Columns that no row owns any more (before the earliest start) are dropped when the buffers are
 * full or they add up, so a long run with rows coming and going stays within the decoder's
 * maximum length. When the last row leaves, every array is freed.
 *
 * <p>Memory: every cached array belongs to this cache's own {@link NDManager}; arrays made during a
 * step belong to the manager of the step's token array (see {@link KeyValueCache}). Not
 * thread-safe: one thread (the batching decoder's worker) uses it.
 */
public final class BatchingKeyValueCache extends StepCache implements AutoCloseable {

    /** Columns a fresh self-attention buffer holds before it first grows. */
    private static final int INITIAL_CAPACITY = 64;
    /** Unowned leading columns worth a copy to drop before the buffers are full. */
    private static final int COMPACT_AT = 32;

    private final NDManager manager;
    private final SequenceDecoder decoder;
    private final int layers;
    private final NDArray[] crossValues;
    private final NDArray[] crossKeysTransposed;
    private final NDArray[] selfKeys;
    private final NDArray[] selfValues;
    private final NDArray[] selfKeysTransposed;
    private NDList[] selfProjections;
    private NDArray scale;
    /** Per row, the first column it owns. */
    private int[] starts = new int[0];
    /** Columns written so far: the column the next step writes. */
    private int column;
    private long memoryLength = -1;
    private NDArray stepMask;
    private boolean broken;

    BatchingKeyValueCache(NDManager manager, SequenceDecoder decoder, int layers) {
        this.manager = manager;
        this.decoder = decoder;
        this.layers = layers;
        crossValues = new NDArray[layers];
        crossKeysTransposed = new NDArray[layers];
        selfKeys = new NDArray[layers];
        selfValues = new NDArray[layers];
        selfKeysTransposed = new NDArray[layers];
    }

    /** Rows in the batch, {@code R}. */
    public int rows() {
        return starts.length;
    }

    /** Positions row {@code row} holds so far: the position of the next token it is fed. */
    public int rowLength(int row) {
        return column - starts[row];
    }

    /** The memory length {@code N} of the rows in the batch, or -1 when it is empty. */
    public long memoryLength() {
        return memoryLength;
    }

    /** Whether the cache's arrays are still allocated. */
    public boolean isOpen() {
        return manager.isOpen();
    }

    /**
     * Adds one row per memory row, after the rows already there, each with no positions yet; the
     * next step feeds each of them its first token.
     *
     * @param memory {@code (B, N, D)}; with rows already in the batch, N must equal theirs
     * @param crossKeysAndValues per layer {@code NDList[keys (B, H, N, D / H), values (B, H, N, D / H)]}
     *     projected from {@code memory}, taken over by the cache
     * @param projections per layer the fused self-attention projection when the cache is empty
     *     (null otherwise)
     * @param newScale the attention scale when the cache is empty (null otherwise)
     */
    void addRows(NDArray memory, NDList[] crossKeysAndValues, NDList[] projections, NDArray newScale) {
        checkUsable();
        long added = memory.getShape().get(0);
        long length = memory.getShape().get(1);
        if (memoryLength >= 0 && length != memoryLength) {
            throw new IllegalArgumentException("memory of length " + length + " cannot join rows whose memory has length "
                    + memoryLength);
        }
        if (selfProjections == null) {
            if (projections == null || newScale == null) {
                throw new IllegalStateException("the first rows of a batch need the self-attention projections");
            }
            selfProjections = projections;
            scale = newScale;
        }
        for (int i = 0; i < layers; i++) {
            NDList cross = crossEntries(crossKeysAndValues[i]);
            crossKeysTransposed[i] = append(crossKeysTransposed[i], cross.get(0));
            crossValues[i] = append(crossValues[i], cross.get(1));
            if (selfKeys[i] != null) {
                selfKeys[i] = append(selfKeys[i], zeroRows(selfKeys[i], added));
                selfValues[i] = append(selfValues[i], zeroRows(selfValues[i], added));
                replace(selfKeysTransposed, i, selfKeys[i].transpose(0, 1, 3, 2));
            }
        }
        int old = starts.length;
        starts = Arrays.copyOf(starts, old + (int) added);
        Arrays.fill(starts, old, starts.length, column);
        memoryLength = length;
    }

    /**
     * Keeps only the given rows, in the given order. With none, the batch is empty and every array
     * is freed (the cache stays usable).
     *
     * @param rows indices into the current batch, increasing
     */
    public void retainRows(int[] rows) {
        if (!manager.isOpen()) {
            throw new IllegalStateException("the batching key/value cache has been closed");
        }
        if (rows.length == 0) {
            clear();
            return;
        }
        checkUsable();
        if (rows.length == starts.length) {
            return;
        }
        for (int row : rows) {
            if (row < 0 || row >= starts.length) {
                throw new IllegalArgumentException("row " + row + " is outside the batch [0, " + starts.length + ")");
            }
        }
        try (NDManager work = manager.newSubManager()) {
            NDArray index = work.create(rows).toType(DataType.INT64, false)
                    .toDevice(crossKeysTransposed[0].getDevice(), false);
            for (int i = 0; i < layers; i++) {
                crossKeysTransposed[i] = selectRows(crossKeysTransposed[i], index);
                crossValues[i] = selectRows(crossValues[i], index);
                if (selfKeys[i] != null) {
                    selfKeys[i] = selectRows(selfKeys[i], index);
                    replace(selfKeysTransposed, i, selfKeys[i].transpose(0, 1, 3, 2));
                    selfValues[i] = selectRows(selfValues[i], index);
                }
            }
        }
        int[] kept = new int[rows.length];
        for (int r = 0; r < rows.length; r++) {
            kept[r] = starts[rows[r]];
        }
        starts = kept;
    }

    /** Frees every cached array. Idempotent. */
    @Override
    public void close() {
        manager.close();
    }

    // ---- used by SequenceDecoder.addRows, SequenceDecoder.stepRows and DecoderLayer.step ----

    /** Moves arrays made for the cache into its manager. */
    void adopt(NDList arrays) {
        arrays.attach(manager);
    }

    /**
     * Starts a step that feeds one token per row: makes room for the new column and builds the
     * step's key mask in {@code stepManager}, to which the cached arrays are temporarily attached.
     *
     * @return per row the position of the token it is fed
     */
    int[] beginStep(NDManager stepManager, long tokensBatch) {
        checkUsable();
        if (tokensBatch != starts.length || starts.length == 0) {
            throw new IllegalArgumentException("tokens batch " + tokensBatch + " differs from the cache's "
                    + starts.length + " rows");
        }
        broken = true; // until endStep(true) says otherwise
        makeRoom();
        int[] positions = new int[starts.length];
        int earliest = Integer.MAX_VALUE;
        for (int r = 0; r < starts.length; r++) {
            positions[r] = column - starts[r];
            earliest = Math.min(earliest, starts[r]);
        }
        stepMask = earliest == 0 && allEqual(starts) ? null : keyMask(stepManager);
        for (int i = 0; i < layers; i++) {
            tempAttach(stepManager, crossValues[i], crossKeysTransposed[i], selfKeys[i], selfValues[i],
                    selfKeysTransposed[i]);
        }
        return positions;
    }

    /** Ends a step: cached arrays return to the cache's manager; on success the column is written. */
    void endStep(boolean succeeded) {
        for (int i = 0; i < layers; i++) {
            reattach(manager, crossValues[i], crossKeysTransposed[i], selfKeys[i], selfValues[i],
                    selfKeysTransposed[i]);
        }
        stepMask = null;
        if (succeeded) {
            column++;
            broken = false;
        }
    }

    @Override
    NDList selfProjection(int layer) {
        return selfProjections[layer];
    }

    @Override
    NDArray scale() {
        return scale;
    }

    @Override
    NDArray selfKeyMask() {
        return stepMask;
    }

    @Override
    NDArray crossKeysTransposed(int layer) {
        return crossKeysTransposed[layer];
    }

    @Override
    NDArray crossValues(int layer) {
        return crossValues[layer];
    }

    @Override
    NDList appendSelf(int layer, NDArray keys, NDArray values) {
        if (selfKeys[layer] == null) {
            selfKeys[layer] = buffer(keys, INITIAL_CAPACITY);
            selfValues[layer] = buffer(values, INITIAL_CAPACITY);
            selfKeysTransposed[layer] = selfKeys[layer].transpose(0, 1, 3, 2);
            // like the other cached arrays during a step, so that the views below land in the step's manager
            tempAttach(keys.getManager(), selfKeys[layer], selfValues[layer], selfKeysTransposed[layer]);
        }
        NDIndex newColumn = new NDIndex().addAllDim(2).addSliceDim(column, column + 1);
        selfKeys[layer].set(newColumn, keys);
        selfValues[layer].set(newColumn, values);
        return new NDList(
                selfKeysTransposed[layer].get(new NDIndex().addAllDim(3).addSliceDim(0, column + 1)),
                selfValues[layer].get(new NDIndex().addAllDim(2).addSliceDim(0, column + 1)));
    }

    /**
     * Before a step writes column {@link #column}: drops the columns no row owns when the buffers
     * are full or enough of them add up, and grows the buffers (doubling, at most to the decoder's
     * maximum length) when still full. A row's span never exceeds the maximum length (the batching
     * decoder checks each request's budget), so that is always room enough.
     */
    private void makeRoom() {
        if (selfKeys[0] == null) {
            return;
        }
        int capacity = (int) selfKeys[0].getShape().get(2);
        int earliest = Arrays.stream(starts).min().orElse(0);
        if (earliest > 0 && (column >= capacity || earliest >= COMPACT_AT)) {
            resize(capacity, earliest);
        }
        if (column >= capacity) {
            resize(Math.min(decoder.maxLength(), Math.max(2 * capacity, column + 1)), 0);
        }
    }

    /** Copies columns {@code [from, column)} into new buffers of {@code capacity} columns. */
    private void resize(int capacity, int from) {
        for (int i = 0; i < layers; i++) {
            selfKeys[i] = copyColumns(selfKeys[i], capacity, from);
            replace(selfKeysTransposed, i, selfKeys[i].transpose(0, 1, 3, 2));
            selfValues[i] = copyColumns(selfValues[i], capacity, from);
        }
        column -= from;
        for (int r = 0; r < starts.length; r++) {
            starts[r] -= from;
        }
    }

    private NDArray copyColumns(NDArray old, int capacity, int from) {
        Shape shape = old.getShape();
        NDArray fresh = manager.zeros(new Shape(shape.get(0), shape.get(1), capacity, shape.get(3)),
                old.getDataType(), old.getDevice());
        if (column > from) {
            try (NDArray kept = old.get(new NDIndex().addAllDim(2).addSliceDim(from, column))) {
                fresh.set(new NDIndex().addAllDim(2).addSliceDim(0, column - from), kept);
            }
        }
        old.close();
        return fresh;
    }

    private NDArray buffer(NDArray like, int capacity) {
        Shape shape = like.getShape();
        int columns = Math.min(decoder.maxLength(), Math.max(capacity, column + 1));
        return manager.zeros(new Shape(shape.get(0), shape.get(1), columns, shape.get(3)), like.getDataType(),
                like.getDevice());
    }

    /** {@code (R, 1, 1, column + 1)}: 0 from each row's start on, negative infinity before it. */
    private NDArray keyMask(NDManager stepManager) {
        int columns = column + 1;
        float[] mask = new float[starts.length * columns];
        for (int r = 0; r < starts.length; r++) {
            Arrays.fill(mask, r * columns, r * columns + starts[r], Float.NEGATIVE_INFINITY);
        }
        return stepManager.create(mask, new Shape(starts.length, 1, 1, columns))
                .toType(crossKeysTransposed[0].getDataType(), false)
                .toDevice(crossKeysTransposed[0].getDevice(), false);
    }

    private static boolean allEqual(int[] values) {
        for (int value : values) {
            if (value != values[0]) {
                return false;
            }
        }
        return true;
    }

    private NDArray zeroRows(NDArray like, long added) {
        Shape shape = like.getShape();
        return manager.zeros(new Shape(added, shape.get(1), shape.get(2), shape.get(3)), like.getDataType(),
                like.getDevice());
    }

    /** {@code current} with {@code added}'s rows after its own (or {@code added} alone), in this cache. */
    private NDArray append(NDArray current, NDArray added) {
        NDArray joined = current == null ? added : NDArrays.concat(new NDList(current, added), 0);
        joined.attach(manager);
        if (current != null) {
            current.close();
            added.close();
        }
        return joined;
    }

    private NDArray selectRows(NDArray array, NDArray index) {
        NDArray kept = array.get(new NDIndex("{}", index));
        kept.attach(manager);
        array.close();
        return kept;
    }

    private static void replace(NDArray[] views, int i, NDArray view) {
        if (views[i] != null) {
            views[i].close();
        }
        views[i] = view;
    }

    private void clear() {
        for (NDArray[] arrays : new NDArray[][] {
            crossValues, crossKeysTransposed, selfKeys, selfValues, selfKeysTransposed}) {
            for (int i = 0; i < layers; i++) {
                if (arrays[i] != null) {
                    arrays[i].close();
                    arrays[i] = null;
                }
            }
        }
        if (selfProjections != null) {
            for (NDList list : selfProjections) {
                list.close();
            }
            selfProjections = null;
            scale.close();
            scale = null;
        }
        starts = new int[0];
        column = 0;
        memoryLength = -1;
        broken = false;
    }

    private void checkUsable() {
        if (!manager.isOpen()) {
            throw new IllegalStateException("the batching key/value cache has been closed");
        }
        if (broken) {
            throw new IllegalStateException("the batching key/value cache is unusable: an earlier step failed part-way");
        }
    }
}
