package io.seqvision.decoder.generate;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.seqvision.decoder.EncoderDecoderModel;
import io.seqvision.decoder.KeyValueCache;
import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Where the {@link Generator}'s next-token logits come from: the one place the cached and the
 * recomputing decoding paths differ.
 */
interface NextTokenLogits extends AutoCloseable {

    /**
     * Logits for the token after {@code sequences[b][0..length)} for each b in {@code rows}, as a
     * row-major {@code (rows.length, V)} array. Between calls {@code length} grows by one and
     * {@code rows} (increasing batch indices) only ever loses entries.
     *
     * @param stepManager owns every array the call makes; closed by the caller after the step
     * @param stats counts the call's uploads and host reads
     */
    float[] next(int[][] sequences, int length, int[] rows, NDManager stepManager, GenerationStats stats);

    @Override
    void close();

    /** The logits of the last position, {@code (B, L, V) -> (B, V)} as a row-major float array. */
    private static float[] lastPosition(NDArray logits) {
        // With one position, (B, 1, V) is already (B, V) in memory: no slice needed.
        NDArray last = logits.getShape().get(1) == 1 ? logits : logits.get(new NDIndex(":, -1, :"));
        return last.toType(DataType.FLOAT32, false).toFloatArray();
    }

    /** Incremental decoding: each call feeds only the tokens the cache has not seen yet. */
    final class Cached implements NextTokenLogits {
        private final EncoderDecoderModel model;
        private final ParameterStore parameterStore;
        private final Device device;
        private final KeyValueCache cache;
        private int[] cachedRows;

        /** Starts a cache over {@code memory} {@code (B, N, D)} in a sub-manager of {@code manager}. */
        Cached(EncoderDecoderModel model, ParameterStore parameterStore, NDArray memory, NDManager manager) {
            this.model = model;
            this.parameterStore = parameterStore;
            this.device = memory.getDevice();
            this.cache = model.newCache(parameterStore, memory, manager);
            this.cachedRows = IntStream.range(0, (int) memory.getShape().get(0)).toArray();
        }

        @Override
        public float[] next(int[][] sequences, int length, int[] rows, NDManager stepManager, GenerationStats stats) {
            if (!Arrays.equals(rows, cachedRows)) {
                cache.retainRows(positionsIn(cachedRows, rows));
                cachedRows = rows;
            }
            int seen = cache.length();
            int fresh = length - seen;
            int[] tokens = new int[rows.length * fresh];
            for (int r = 0; r < rows.length; r++) {
                System.arraycopy(sequences[rows[r]], seen, tokens, r * fresh, fresh);
            }
            NDArray input = stepManager.create(tokens, new Shape(rows.length, fresh)).toDevice(device, false);
            stats.uploads++;
            stats.hostReads++;
            return lastPosition(model.decodeStep(parameterStore, input, cache));
        }

        /** Where each of {@code rows} sits in {@code cached}; rows is an ordered subset of cached. */
        private static int[] positionsIn(int[] cached, int[] rows) {
            int[] positions = new int[rows.length];
            int c = 0;
            for (int r = 0; r < rows.length; r++) {
                while (cached[c] != rows[r]) {
                    c++;
                }
                positions[r] = c;
            }
            return positions;
        }

        @Override
        public void close() {
            cache.close();
        }
    }

    /** The reference path: the decoder over the whole prefix at every step. */
    final class Recomputed implements NextTokenLogits {
        private final EncoderDecoderModel model;
        private final ParameterStore parameterStore;
        private final NDArray memory;

        Recomputed(EncoderDecoderModel model, ParameterStore parameterStore, NDArray memory) {
            this.model = model;
            this.parameterStore = parameterStore;
            this.memory = memory;
        }

        @Override
        public float[] next(int[][] sequences, int length, int[] rows, NDManager stepManager, GenerationStats stats) {
            // Arrays derived from the memory must land in the step's manager, not the memory's.
            stepManager.tempAttachAll(memory);
            Device device = memory.getDevice();
            NDArray rowsMemory = memory;
            if (rows.length != memory.getShape().get(0)) {
                NDArray index = stepManager.create(rows).toType(DataType.INT64, false).toDevice(device, false);
                rowsMemory = memory.get(new NDIndex("{}", index));
                stats.uploads++;
            }
            int[] prefix = new int[rows.length * length];
            for (int r = 0; r < rows.length; r++) {
                System.arraycopy(sequences[rows[r]], 0, prefix, r * length, length);
            }
            NDArray tokens = stepManager.create(prefix, new Shape(rows.length, length)).toDevice(device, false);
            stats.uploads++;
            stats.hostReads++;
            return lastPosition(model.decode(parameterStore, tokens, rowsMemory, false));
        }

        @Override
        public void close() {}
    }
}
