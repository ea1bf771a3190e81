package io.seqvision.decoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

/**
 * What {@link DecoderLayer#step} reads from and writes to during incremental decoding, shared by
 * the single-generation {@link KeyValueCache} and the {@link BatchingKeyValueCache} whose rows join
 * and leave between steps. Package-private methods keep the cached arrays out of the public API.
 */
abstract class StepCache {

    /** One layer's self-attention projection stacked: {@code [weight (3D, D), bias (3D)]}. */
    abstract NDList selfProjection(int layer);

    /**
     * Appends a step's self-attention keys and values of one layer.
     *
     * @param keys {@code (B, H, n, D / H)}
     * @param values {@code (B, H, n, D / H)}
     * @return {@code NDList[keys (B, H, D / H, L), values (B, H, L, D / H)]} over every cached
     *     position the step attends to, the new ones included
     */
    abstract NDList appendSelf(int layer, NDArray keys, NDArray values);

    /**
     * An additive mask {@code (B, 1, 1, L)} over the keys {@link #appendSelf} returns (0 where a row
     * may attend, negative infinity where the position is not the row's), or null when every row
     * attends to every cached position.
     */
    abstract NDArray selfKeyMask();

    /** The memory's cross-attention keys of one layer as {@code (B, H, D / H, N)}. */
    abstract NDArray crossKeysTransposed(int layer);

    /** The memory's cross-attention values of one layer, {@code (B, H, N, D / H)}. */
    abstract NDArray crossValues(int layer);

    /** The attention scale, a 0-dimensional float32 array. */
    abstract NDArray scale();

    /**
     * One layer's cross-attention keys and values as a step multiplies by them: {@code NDList[keys
     * transposed (B, H, D / H, N), values (B, H, N, D / H)]}, each in a row-major buffer of its own, in
     * the manager of the given keys. The projection gives strided views (the heads split out of the
     * width, the keys transposed), which libtorch's batched matmul copies into such a buffer at every
     * step; a cache makes the copy once. Closes the given arrays.
     *
     * @param keysAndValues {@code NDList[keys (B, H, N, D / H), values (B, H, N, D / H)]}
     */
    static NDList crossEntries(NDList keysAndValues) {
        NDArray keys = keysAndValues.get(0);
        NDArray values = keysAndValues.get(1);
        NDArray keysTransposed;
        try (NDArray view = keys.transpose(0, 1, 3, 2)) {
            keysTransposed = rowMajor(view);
        }
        NDArray rowMajorValues = rowMajor(values);
        keys.close();
        values.close();
        return new NDList(keysTransposed, rowMajorValues);
    }

    /**
     * {@code array}'s values in row-major order: flattening a strided view copies it, a row-major one
     * is only viewed.
     */
    private static NDArray rowMajor(NDArray array) {
        try (NDArray flat = array.reshape(-1)) {
            return flat.reshape(array.getShape());
        }
    }

    /** Lends the non-null {@code arrays} to a step's manager, so that ops on them are freed with it. */
    static void tempAttach(NDManager stepManager, NDArray... arrays) {
        for (NDArray array : arrays) {
            if (array != null) {
                array.tempAttach(stepManager);
            }
        }
    }

    /** Gives the non-null, live {@code arrays} back to the cache's {@code manager} after a step. */
    static void reattach(NDManager manager, NDArray... arrays) {
        for (NDArray array : arrays) {
            if (array != null && !array.isReleased()) {
                array.attach(manager);
            }
        }
    }
}
