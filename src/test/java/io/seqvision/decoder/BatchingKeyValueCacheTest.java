package io.seqvision.decoder;

import static io.seqvision.decoder.DecoderTestSupport.randomNormal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BatchingKeyValueCacheTest {

    private static final int VOCAB = 13;
    private static final int MAX_LENGTH = 40;

    private NDManager manager;
    private EncoderDecoderModel model;
    private ParameterStore parameterStore;
    private NDArray memory;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
        model = EncoderDecoderModel.builder()
                .setEncoder(new TinyTestEncoder(6, 4))
                .setDecoder(SequenceDecoder.builder().setVocabSize(VOCAB).setMaxLength(MAX_LENGTH).optWidth(8)
                        .optLayers(2).optHeads(2).optMlpDim(16).build())
                .build();
        model.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 16, 16), new Shape(1, 2));
        DecoderTestSupport.randomize(model, 0.3f, 5);
        parameterStore = new ParameterStore(manager, false);
        memory = model.encode(parameterStore, randomNormal(manager, 9, 6, 3, 16, 16), false);
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    /**
     * Six rows join at different steps and leave at different steps, past the point where the
     * unowned columns are dropped; each row's logits equal those of a cache holding it alone.
     */
    @Test
    void rowsJoiningAndLeavingGetTheLogitsOfDecodingAlone() {
        int[] joinAt = {0, 0, 3, 11, 30, 31};
        int[] leaveAt = {25, 38, 40, 48, 66, 60};
        List<Integer> rows = new ArrayList<>(); // which memory row each cache row is
        List<KeyValueCache> alone = new ArrayList<>();
        try (BatchingKeyValueCache shared = model.newBatchingCache(manager)) {
            for (int b = 0; b < joinAt.length; b++) {
                alone.add(model.newCache(parameterStore, row(b), manager));
            }
            for (int step = 0; step < 70; step++) {
                for (int b = 0; b < joinAt.length; b++) {
                    if (joinAt[b] == step) {
                        model.addRows(parameterStore, row(b), shared);
                        rows.add(b);
                    }
                }
                if (rows.isEmpty()) {
                    continue;
                }
                try (NDManager stepManager = manager.newSubManager()) {
                    int[] tokens = new int[rows.size()];
                    for (int r = 0; r < tokens.length; r++) {
                        int b = rows.get(r);
                        assertEquals(step - joinAt[b], shared.rowLength(r));
                        tokens[r] = (step * 7 + b * 3) % VOCAB;
                    }
                    float[] logits = model.decodeRows(parameterStore, stepManager.create(tokens, new Shape(tokens.length, 1)),
                            shared).toFloatArray();
                    for (int r = 0; r < tokens.length; r++) {
                        KeyValueCache own = alone.get(rows.get(r));
                        float[] expected = model.decodeStep(parameterStore,
                                stepManager.create(new int[] {tokens[r]}, new Shape(1, 1)), own).toFloatArray();
                        float[] actual = java.util.Arrays.copyOfRange(logits, r * VOCAB, (r + 1) * VOCAB);
                        assertTrue(DecoderTestSupport.maxAbsDiff(expected, actual) < 1e-5f,
                                "row of memory " + rows.get(r) + " at step " + step);
                    }
                }
                List<Integer> kept = new ArrayList<>();
                List<Integer> keptRows = new ArrayList<>();
                for (int r = 0; r < rows.size(); r++) {
                    int b = rows.get(r);
                    // a row leaves when its span would pass the maximum length, or at its time
                    if (leaveAt[b] > step + 1 && step + 1 - joinAt[b] < MAX_LENGTH) {
                        kept.add(r);
                        keptRows.add(b);
                    }
                }
                shared.retainRows(kept.stream().mapToInt(Integer::intValue).toArray());
                rows.clear();
                rows.addAll(keptRows);
            }
            assertEquals(0, shared.rows());
            assertEquals(-1, shared.memoryLength());
        }
    }

    @Test
    void stepsCopyNoCachedCrossAttentionArray() {
        try (BatchingKeyValueCache cache = model.newBatchingCache(manager)) {
            model.addRows(parameterStore, memory, cache);
            long clones = DecoderTestSupport.operationsDuring("aten::clone", () -> {
                for (int step = 0; step < 3; step++) {
                    try (NDManager stepManager = manager.newSubManager()) {
                        model.decodeRows(parameterStore, stepManager.create(new int[6], new Shape(6, 1)), cache);
                    }
                }
            });
            assertEquals(0, clones, "copies made by three steps");
        }
    }

    @Test
    void emptiedCacheFreesItsArraysAndClosingFreesTheRest() {
        try (NDManager owner = manager.newSubManager()) {
            BatchingKeyValueCache cache = model.newBatchingCache(owner);
            model.addRows(parameterStore, memory, cache);
            try (NDManager stepManager = owner.newSubManager()) {
                model.decodeRows(parameterStore, stepManager.create(new int[6], new Shape(6, 1)), cache);
            }
            cache.retainRows(new int[] {1, 4});
            assertEquals(2, cache.rows());
            cache.retainRows(new int[0]);
            assertEquals(0, cache.rows());
            assertTrue(cache.isOpen());
            cache.close();
            assertFalse(cache.isOpen());
            assertThrows(IllegalStateException.class, () -> cache.retainRows(new int[0]));
        }
    }

    @Test
    void refusesMemoryOfAnotherLengthAndABatchOfOtherSize() {
        try (BatchingKeyValueCache cache = model.newBatchingCache(manager)) {
            model.addRows(parameterStore, row(0), cache);
            NDArray shorter = memory.get(new NDIndex("0:1, 0:3, :"));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> model.addRows(parameterStore, shorter, cache));
            assertTrue(e.getMessage().contains("length 3"), e.getMessage());
            try (NDManager stepManager = manager.newSubManager()) {
                assertThrows(IllegalArgumentException.class, () -> model.decodeRows(parameterStore,
                        stepManager.create(new int[2], new Shape(2, 1)), cache));
            }
        }
    }

    private NDArray row(int b) {
        return memory.get(new NDIndex("{}:{}", b, b + 1));
    }
}
