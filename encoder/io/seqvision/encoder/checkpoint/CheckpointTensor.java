package io.seqvision.encoder.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * One tensor of a checkpoint, read only when its values are asked for: element type, shape, and
 * where its elements lie in a storage (offset and strides in elements, as PyTorch records them).
 */
public final class CheckpointTensor {

    /** Supplies the bytes of a tensor's storage, reading them from the file on first use. */
    @FunctionalInterface
    interface StorageSource {
        ByteBuffer bytes() throws IOException;
    }

    private final TensorType type;
    private final long[] shape;
    private final long offset;
    private final long[] strides;
    private final StorageSource storage;

    CheckpointTensor(
            TensorType type, long[] shape, long offset, long[] strides, StorageSource storage) {
        this.type = type;
        this.shape = shape.clone();
        this.offset = offset;
        this.strides = strides.clone();
        this.storage = storage;
    }

    /** A tensor stored contiguously (row-major) from the start of {@code storage}. */
    static CheckpointTensor contiguous(TensorType type, long[] shape, StorageSource storage) {
        long[] strides = new long[shape.length];
        long step = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            strides[i] = step;
            step *= shape[i];
        }
        return new CheckpointTensor(type, shape, 0, strides, storage);
    }

    public TensorType type() {
        return type;
    }

    public long[] shape() {
        return shape.clone();
    }

    public long size() {
        long size = 1;
        for (long dim : shape) {
            size *= dim;
        }
        return size;
    }

    /**
     * The elements in row-major order, converted to float.
     *
     * @throws IOException if the storage cannot be read or is too short for this tensor's view
     *     (the message says by how much; the caller adds the tensor's name)
     */
    public float[] toFloats() throws IOException {
        long size = size();
        if (size > Integer.MAX_VALUE) {
            throw new IOException("tensor of " + size + " elements is too large");
        }
        ByteBuffer bytes = storage.bytes();
        long last = offset;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] > 0) {
                last += (shape[i] - 1) * strides[i];
            }
        }
        long needed = size == 0 ? 0 : (last + 1) * type.bytes();
        if (needed > bytes.limit()) {
            throw new IOException(
                    "storage holds "
                            + bytes.limit()
                            + " bytes but the tensor "
                            + Arrays.toString(shape)
                            + " of "
                            + type
                            + " needs "
                            + needed
                            + " (file truncated?)");
        }
        float[] values = new float[(int) size];
        int[] index = new int[shape.length];
        for (int n = 0; n < values.length; n++) {
            long element = offset;
            for (int d = 0; d < shape.length; d++) {
                element += index[d] * strides[d];
            }
            values[n] = type.read(bytes, (int) (element * type.bytes()));
            for (int d = shape.length - 1; d >= 0; d--) {
                if (++index[d] < shape[d]) {
                    break;
                }
                index[d] = 0;
            }
        }
        return values;
    }
}
