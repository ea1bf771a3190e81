package io.seqvision.decoder;

import static io.seqvision.decoder.DecoderTestSupport.randomNormal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Incremental decoding against the full-prefix recomputation it replaces: the logits of every new
 * position must agree within 1e-5, whatever the chunking of the fed tokens, after dropping rows,
 * and with the cache's memory released as documented.
 */
class KeyValueCacheTest {

    private static final int B = 3;
    private static final int V = 37;
    private static final int T = 24;
    private static final int LONG_T = 150;
    private static final int D = 32;
    private static final int N = 7;
    private static final float TOLERANCE = 1e-5f;

    private NDManager manager;
    private SequenceDecoder decoder;
    private ParameterStore parameterStore;
    private NDArray memory;
    private int[] tokens;
    private int length;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
        parameterStore = new ParameterStore(manager, false);
        useDecoder(T, D, 3, 4);
    }

    /** A randomised decoder of maximum length {@code maxLength}, its memory and a token sequence that fills it. */
    private void useDecoder(int maxLength, int width, int layers, int heads) {
        decoder = SequenceDecoder.builder()
                .setVocabSize(V)
                .setMaxLength(maxLength)
                .optWidth(width)
                .optLayers(layers)
                .optHeads(heads)
                .optMlpDim(48)
                .build();
        decoder.initialize(manager, DataType.FLOAT32, new Shape(B, maxLength), new Shape(B, N, width));
        DecoderTestSupport.randomize(decoder, 0.15f, 31);
        memory = randomNormal(manager, 5, B, N, width);
        tokens = DecoderTestSupport.randomTokens(9, B * maxLength, V);
        length = maxLength;
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    @Test
    void promptThenOneTokenPerStepMatchesFullRecomputationAtEveryStep() {
        float[][][] full = fullLogits(allRows());
        try (KeyValueCache cache = decoder.newCache(parameterStore, memory, manager)) {
            int fed = 0;
            int[] chunks = new int[T - 2];
            chunks[0] = 3;
            java.util.Arrays.fill(chunks, 1, chunks.length, 1);
            for (int chunk : chunks) {
                compareStep(cache, allRows(), fed, chunk, full);
                fed += chunk;
                assertEquals(fed, cache.length());
            }
            assertEquals(T, fed);
        }
    }

    @Test
    void cacheBuffersThatGrowPastTheirFirstCapacityKeepEveryPosition() {
        useDecoder(LONG_T, 16, 2, 2);
        float[][][] full = fullLogits(allRows());
        try (KeyValueCache cache = decoder.newCache(parameterStore, memory, manager)) {
            compareStep(cache, allRows(), 0, 2, full);
            for (int fed = 2; fed < 70; fed++) {
                compareStep(cache, allRows(), fed, 1, full);
            }
            compareStep(cache, allRows(), 70, 60, full);
            cache.retainRows(new int[] {1});
            for (int fed = 130; fed < LONG_T; fed++) {
                compareStep(cache, new int[] {1}, fed, 1, full);
            }
            assertEquals(LONG_T, cache.length());
        }
    }

    @Test
    void anyChunkingGivesTheSameLogits() {
        float[][][] full = fullLogits(allRows());
        try (KeyValueCache cache = decoder.newCache(parameterStore, memory, manager)) {
            int fed = 0;
            for (int chunk : new int[] {1, 5, 2, 1, 7, 3, 1, 4}) {
                compareStep(cache, allRows(), fed, chunk, full);
                fed += chunk;
            }
            assertEquals(T, fed);
        }
    }

    @Test
    void droppingRowsKeepsTheOthersExact() {
        float[][][] full = fullLogits(allRows());
        try (KeyValueCache cache = decoder.newCache(parameterStore, memory, manager)) {
            compareStep(cache, allRows(), 0, 4, full);
            compareStep(cache, allRows(), 4, 1, full);
            cache.retainRows(new int[] {0, 2});
            assertEquals(2, cache.batchSize());
            compareStep(cache, new int[] {0, 2}, 5, 1, full);
            compareStep(cache, new int[] {0, 2}, 6, 2, full);
            cache.retainRows(new int[] {1});
            compareStep(cache, new int[] {2}, 8, 1, full);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> cache.retainRows(new int[] {1}));
            assertTrue(e.getMessage().contains("row 1") && e.getMessage().contains("[0, 1)"), e.getMessage());
        }
    }

    @Test
    void cacheArraysStayFlatAndAreFreedOnClose() {
        int before = manager.getManagedArrays().size();
        KeyValueCache cache = decoder.newCache(parameterStore, memory, manager);
        // Per layer: cross-attention keys (transposed) and values, and the stacked self-attention
        // projection's weight and bias; one scale for all layers.
        assertEquals(before + 4 * 3 + 1, manager.getManagedArrays().size(), "cross-attention and projections per layer");
        int fed = 0;
        for (int step = 0; step < 6; step++) {
            int chunk = step == 0 ? 3 : 1;
            try (NDManager stepManager = manager.newSubManager()) {
                decoder.step(parameterStore, stepTokens(stepManager, allRows(), fed, chunk), cache);
            }
            fed += chunk;
            assertEquals(before + 7 * 3 + 1, manager.getManagedArrays().size(),
                    "after step " + step + ": seven arrays per layer (and the scale), whatever the length");
        }
        cache.close();
        assertFalse(cache.isOpen());
        assertEquals(before, manager.getManagedArrays().size());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> decoder.step(parameterStore, stepTokens(manager, allRows(), 0, 1), cache));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }

    @Test
    void stepsCopyNoCachedArray() {
        try (KeyValueCache cache = decoder.newCache(parameterStore, memory, manager)) {
            long clones = DecoderTestSupport.operationsDuring("aten::clone", () -> {
                for (int step = 0; step < 4; step++) {
                    try (NDManager stepManager = manager.newSubManager()) {
                        decoder.step(parameterStore, stepTokens(stepManager, allRows(), step, 1), cache);
                    }
                }
            });
            // strided cross-attention keys or values would be copied by every step's batched matmul
            assertEquals(0, clones, "copies made by four steps");
        }
    }

    @Test
    void badStepsAreRejectedAndLeaveTheCacheUsable() {
        float[][][] full = fullLogits(allRows());
        try (KeyValueCache cache = decoder.newCache(parameterStore, memory, manager)) {
            compareStep(cache, allRows(), 0, T - 1, full);
            IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class,
                    () -> decoder.step(parameterStore, manager.create(new int[2 * B], new Shape(B, 2)), cache));
            assertTrue(tooLong.getMessage().contains("25") && tooLong.getMessage().contains("maximum length 24"),
                    tooLong.getMessage());
            IllegalArgumentException wrongBatch = assertThrows(IllegalArgumentException.class,
                    () -> decoder.step(parameterStore, manager.create(new int[2], new Shape(2, 1)), cache));
            assertTrue(wrongBatch.getMessage().contains("batch 2") && wrongBatch.getMessage().contains("batch 3"),
                    wrongBatch.getMessage());
            compareStep(cache, allRows(), T - 1, 1, full);
        }
    }

    @Test
    void encoderDecoderModelStepsMatchItsDecode() {
        EncoderDecoderModel model = DecoderTestSupport.tinyModel();
        model.initialize(manager, DataType.FLOAT32, new Shape(2, 3, 16, 16), new Shape(2, 8));
        DecoderTestSupport.randomize(model, 0.3f, 3);
        NDArray images = randomNormal(manager, 6, 2, 3, 16, 16);
        NDArray imageMemory = model.encode(parameterStore, images, false);
        NDArray sequence = manager.create(DecoderTestSupport.randomTokens(4, 16, 11), new Shape(2, 8));
        float[] full = model.decode(parameterStore, sequence, imageMemory, false).toFloatArray();
        try (KeyValueCache cache = model.newCache(parameterStore, imageMemory, manager)) {
            NDArray prompt = model.decodeStep(parameterStore, sequence.get(":, 0:2"), cache);
            NDArray rest = model.decodeStep(parameterStore, sequence.get(":, 2:8"), cache);
            float[] stepped = prompt.concat(rest, 1).toFloatArray();
            assertTrue(DecoderTestSupport.maxAbsDiff(full, stepped) < TOLERANCE);
        }
    }

    /** Feeds {@code count} tokens from position {@code start} for the given rows and checks their logits. */
    private void compareStep(KeyValueCache cache, int[] rows, int start, int count, float[][][] full) {
        try (NDManager stepManager = manager.newSubManager()) {
            NDArray logits = decoder.step(parameterStore, stepTokens(stepManager, rows, start, count), cache);
            assertEquals(new Shape(rows.length, count, V), logits.getShape());
            float[] values = logits.toFloatArray();
            for (int r = 0; r < rows.length; r++) {
                for (int i = 0; i < count; i++) {
                    float worst = 0;
                    for (int v = 0; v < V; v++) {
                        float cached = values[(r * count + i) * V + v];
                        worst = Math.max(worst, Math.abs(cached - full[rows[r]][start + i][v]));
                    }
                    assertTrue(worst < TOLERANCE,
                            "row " + rows[r] + " position " + (start + i) + " differs by " + worst);
                }
            }
        }
    }

    private NDArray stepTokens(NDManager stepManager, int[] rows, int start, int count) {
        int[] chunk = new int[rows.length * count];
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(tokens, rows[r] * length + start, chunk, r * count, count);
        }
        return stepManager.create(chunk, new Shape(rows.length, count));
    }

    /** Logits {@code [row][position][token]} of the decoder run over each row's whole sequence. */
    private float[][][] fullLogits(int[] rows) {
        float[][][] result = new float[B][length][V];
        try (NDManager work = manager.newSubManager()) {
            NDArray all = work.create(tokens, new Shape(B, length));
            NDArray logits = decoder.forward(parameterStore, new NDList(all, memory), false).singletonOrThrow();
            for (int row : rows) {
                for (int position = 0; position < length; position++) {
                    result[row][position] = logits.get(new NDIndex("{}, {}, :", row, position)).toFloatArray();
                }
            }
        }
        return result;
    }

    private static int[] allRows() {
        int[] rows = new int[B];
        for (int b = 0; b < B; b++) {
            rows[b] = b;
        }
        return rows;
    }
}
