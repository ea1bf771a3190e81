package io.seqvision.encoder.slak;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.initializer.NormalInitializer;

import io.seqvision.encoder.slak.DynamicSparsity.Growth;
import io.seqvision.encoder.slak.DynamicSparsity.Options;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

class DynamicSparsityTest {

    private static final Shape TALL = new Shape(7, 1, 13, 5); // 455 entries
    private static final Shape MATRIX = new Shape(30, 20); // 600 entries

    @Test
    void initialMasksHoldTheExactSparsityAndZeroTheDeadEntries() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, Parameter> weights = weights(manager);
            try (DynamicSparsity sparsity = DynamicSparsity.create(weights, options(Growth.RANDOM))) {
                assertEquals(455 - 182, sparsity.liveCount("tall"));
                assertEquals(600 - 240, sparsity.liveCount("matrix"));
                assertEquals((182.0 + 240) / (455 + 600), sparsity.sparsity(), 1e-12);
                assertEquals(1055, sparsity.maskedCount());
                for (String name : sparsity.names()) {
                    assertZeroWhereDead(weights.get(name), sparsity.mask(name), name, true);
                }
            }
        }
    }

    @Test
    void afterEveryStepTheMaskIsReappliedAndOnlyUpdateStepsChangeIt() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, Parameter> weights = weights(manager);
            try (DynamicSparsity sparsity = DynamicSparsity.create(weights, options(Growth.RANDOM))) {
                boolean[] before = sparsity.mask("tall");
                NDArray tall = weights.get("tall").getArray();
                tall.addi(1); // an optimizer step that also moves dead entries
                float[] moved = tall.toFloatArray();
                sparsity.afterStep(9);
                assertArrayEquals(before, sparsity.mask("tall"));
                float[] after = tall.toFloatArray();
                for (int i = 0; i < after.length; i++) {
                    assertEquals(before[i] ? moved[i] : 0f, after[i], "entry " + i);
                }
            }
        }
    }

    @Test
    void anUpdatePrunesTheSmallestLiveMagnitudesAndRegrowsAsManyDeadEntries() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, Parameter> weights = weights(manager);
            try (DynamicSparsity sparsity = DynamicSparsity.create(weights, options(Growth.RANDOM))) {
                long totalRemoved = 0;
                for (String name : sparsity.names()) {
                    setDistinctMagnitudes(weights.get(name), sparsity.mask(name));
                }
                Map<String, boolean[]> before = new LinkedHashMap<>();
                Map<String, float[]> values = new LinkedHashMap<>();
                for (String name : sparsity.names()) {
                    before.put(name, sparsity.mask(name));
                    values.put(name, weights.get(name).getArray().toFloatArray());
                }
                sparsity.afterStep(10);
                double rate = 0.005 + (0.5 - 0.005) * (1 + Math.cos(Math.PI * 0.1)) / 2;
                for (String name : sparsity.names()) {
                    boolean[] old = before.get(name);
                    boolean[] now = sparsity.mask(name);
                    float[] w = values.get(name);
                    List<Integer> liveBefore = indices(old, true);
                    int removed = (int) Math.ceil(rate * liveBefore.size());
                    liveBefore.sort(Comparator.comparingDouble(i -> Math.abs(w[i])));
                    Set<Integer> pruned = new HashSet<>(liveBefore.subList(0, removed));
                    int regrown = 0;
                    for (int i = 0; i < old.length; i++) {
                        if (old[i] && !pruned.contains(i)) {
                            assertTrue(now[i], name + " kept entry " + i + " was pruned");
                        }
                        if (now[i] && (!old[i] || pruned.contains(i))) {
                            regrown++;
                        }
                    }
                    assertEquals(removed, regrown, name + " regrowth count");
                    assertEquals(liveBefore.size(), sparsity.liveCount(name), name);
                    assertZeroExactlyWhereDeadOrRegrown(weights.get(name), old, now, pruned, name);
                    totalRemoved += removed;
                }
                assertEquals(totalRemoved, sparsity.lastRemoved());
            }
        }
    }

    @Test
    void gradientGrowthRegrowsTheDeadEntriesWithTheLargestGradients() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, Parameter> weights = weights(manager);
            try (DynamicSparsity sparsity =
                    DynamicSparsity.create(weights, options(Growth.GRADIENT))) {
                IllegalStateException noGradients =
                        assertThrows(IllegalStateException.class, () -> sparsity.afterStep(10));
                assertTrue(noGradients.getMessage().contains("beforeStep(10)"));

                Map<String, float[]> grads = new LinkedHashMap<>();
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    NDArray loss = null;
                    for (String name : sparsity.names()) {
                        NDArray w = weights.get(name).getArray();
                        NDArray g = manager.randomNormal(w.getShape());
                        grads.put(name, g.toFloatArray());
                        NDArray term = w.mul(g).sum();
                        loss = loss == null ? term : loss.add(term);
                    }
                    collector.backward(loss);
                }
                Map<String, boolean[]> before = new LinkedHashMap<>();
                for (String name : sparsity.names()) {
                    before.put(name, sparsity.mask(name));
                }
                float[] tallValues = weights.get("tall").getArray().toFloatArray();
                sparsity.beforeStep(20);
                sparsity.afterStep(20);
                double rate = sparsity.pruneRate(20);
                boolean[] old = before.get("tall");
                boolean[] now = sparsity.mask("tall");
                List<Integer> liveBefore = indices(old, true);
                int removed = (int) Math.ceil(rate * liveBefore.size());
                liveBefore.sort(Comparator.comparingDouble(i -> Math.abs(tallValues[i])));
                Set<Integer> candidates = new HashSet<>(indices(old, false));
                candidates.addAll(liveBefore.subList(0, removed));
                float[] g = grads.get("tall");
                List<Integer> byGradient = new ArrayList<>(candidates);
                byGradient.sort(Comparator.comparingDouble(i -> -Math.abs(g[i])));
                for (int j = 0; j < byGradient.size(); j++) {
                    assertEquals(j < removed, now[byGradient.get(j)], "candidate rank " + j);
                }
            }
        }
    }

    @Test
    void manyCyclesKeepTheSparsityExact() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, Parameter> weights = weights(manager);
            try (DynamicSparsity sparsity = DynamicSparsity.create(weights, options(Growth.RANDOM))) {
                double expected = sparsity.sparsity();
                for (long step = 1; step <= 100; step++) {
                    for (Parameter p : weights.values()) {
                        p.getArray().addi(manager.randomNormal(p.getArray().getShape()).mul(0.1));
                    }
                    sparsity.afterStep(step);
                    assertEquals(273, sparsity.liveCount("tall"), "step " + step);
                    assertEquals(360, sparsity.liveCount("matrix"), "step " + step);
                    assertEquals(expected, sparsity.sparsity(), 0.0);
                    for (String name : sparsity.names()) {
                        assertZeroWhereDead(weights.get(name), sparsity.mask(name), name, false);
                    }
                }
            }
        }
    }

    @Test
    void pruneRateDecaysByCosineToTheMinimum() {
        try (NDManager manager = NDManager.newBaseManager();
                DynamicSparsity sparsity =
                        DynamicSparsity.create(weights(manager), options(Growth.RANDOM))) {
            assertEquals(0.5, sparsity.pruneRate(0), 1e-12);
            assertEquals((0.5 + 0.005) / 2, sparsity.pruneRate(50), 1e-12);
            assertEquals(0.005, sparsity.pruneRate(100), 1e-12);
            assertEquals(0.005, sparsity.pruneRate(250), 1e-12);
            assertFalse(sparsity.isUpdateStep(0));
            assertTrue(sparsity.isUpdateStep(30));
            assertFalse(sparsity.isUpdateStep(31));
        }
    }

    @Test
    void masksRoundTripThroughCheckpointsAndMismatchesFailClearly() throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            Map<String, Parameter> first = weights(manager);
            Map<String, Parameter> second = weights(manager);
            byte[] saved;
            try (DynamicSparsity a = DynamicSparsity.create(first, options(Growth.RANDOM));
                    DynamicSparsity b =
                            DynamicSparsity.create(
                                    second,
                                    Options.builder()
                                            .setTotalSteps(100)
                                            .optUpdateInterval(10)
                                            .optSeed(99)
                                            .build())) {
                a.afterStep(10);
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                a.save(new DataOutputStream(bytes));
                saved = bytes.toByteArray();
                assertFalse(Arrays.equals(a.mask("tall"), b.mask("tall")));
                second.get("tall").getArray().addi(1);
                b.load(new DataInputStream(new ByteArrayInputStream(saved)));
                for (String name : a.names()) {
                    assertArrayEquals(a.mask(name), b.mask(name), name);
                    assertZeroWhereDead(second.get(name), b.mask(name), name, false);
                }
            }

            Map<String, Parameter> renamed = new LinkedHashMap<>();
            renamed.put("tall", first.get("tall"));
            renamed.put("other", first.get("matrix"));
            try (DynamicSparsity c = DynamicSparsity.create(renamed, options(Growth.RANDOM))) {
                boolean[] unchanged = c.mask("other");
                IOException e =
                        assertThrows(
                                IOException.class,
                                () -> c.load(new DataInputStream(new ByteArrayInputStream(saved))));
                assertTrue(e.getMessage().contains("'matrix'"), e.getMessage());
                assertTrue(e.getMessage().contains("'other'"), e.getMessage());
                assertArrayEquals(unchanged, c.mask("other"));
            }
            try (DynamicSparsity denser =
                    DynamicSparsity.create(
                            first, Options.builder().setTotalSteps(10).optSparsity(0.2).build())) {
                IOException e =
                        assertThrows(
                                IOException.class,
                                () ->
                                        denser.load(
                                                new DataInputStream(
                                                        new ByteArrayInputStream(saved))));
                assertTrue(e.getMessage().contains("0.2"), e.getMessage());
            }
        }
    }

    @Test
    void badOptionsFailNamingTheValue() {
        IllegalArgumentException noSteps =
                assertThrows(IllegalArgumentException.class, () -> Options.builder().build());
        assertTrue(noSteps.getMessage().contains("total steps"), noSteps.getMessage());
        IllegalArgumentException level =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> Options.builder().setTotalSteps(5).optSparsity(1.0).build());
        assertTrue(level.getMessage().contains("1.0"), level.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> Options.builder().setTotalSteps(5).optMinPruneRate(0.9).build());
        assertThrows(
                IllegalArgumentException.class,
                () -> DynamicSparsity.create(new LinkedHashMap<>(), options(Growth.RANDOM)));
    }

    private static Options options(Growth growth) {
        return Options.builder()
                .optSparsity(0.4)
                .optUpdateInterval(10)
                .optPruneRate(0.5)
                .optMinPruneRate(0.005)
                .setTotalSteps(100)
                .optGrowth(growth)
                .optSeed(1)
                .build();
    }

    private static Map<String, Parameter> weights(NDManager manager) {
        Map<String, Parameter> weights = new LinkedHashMap<>();
        weights.put("tall", parameter(manager, "tall", TALL));
        weights.put("matrix", parameter(manager, "matrix", MATRIX));
        return weights;
    }

    private static Parameter parameter(NDManager manager, String name, Shape shape) {
        Parameter p =
                Parameter.builder()
                        .setName(name)
                        .setType(Parameter.Type.WEIGHT)
                        .optShape(shape)
                        .optInitializer(new NormalInitializer(1f))
                        .build();
        p.initialize(manager, DataType.FLOAT32);
        return p;
    }

    /** Live entries get distinct magnitudes in a scrambled order, with random signs. */
    private static void setDistinctMagnitudes(Parameter p, boolean[] mask) {
        int n = mask.length;
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            float magnitude = 1 + (i * 7919L % n);
            values[i] = mask[i] ? (i % 3 == 0 ? -magnitude : magnitude) : 0f;
        }
        p.getArray().set(values);
    }

    private static List<Integer> indices(boolean[] mask, boolean value) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < mask.length; i++) {
            if (mask[i] == value) {
                out.add(i);
            }
        }
        return out;
    }

    /** Dead entries are zero; with {@code liveNonZero}, live ones are not. */
    private static void assertZeroWhereDead(
            Parameter p, boolean[] mask, String name, boolean liveNonZero) {
        float[] values = p.getArray().toFloatArray();
        for (int i = 0; i < values.length; i++) {
            if (!mask[i]) {
                assertTrue(values[i] == 0f, name + " dead entry " + i + " is " + values[i]);
            } else if (liveNonZero) {
                assertTrue(values[i] != 0f, name + " live entry " + i + " is zero");
            }
        }
    }

    /** Dead entries are zero; regrown ones that were dead are zero; kept ones are not. */
    private static void assertZeroExactlyWhereDeadOrRegrown(
            Parameter p, boolean[] old, boolean[] now, Set<Integer> pruned, String name) {
        float[] values = p.getArray().toFloatArray();
        for (int i = 0; i < values.length; i++) {
            boolean kept = old[i] && !pruned.contains(i);
            boolean zero = values[i] == 0f;
            if (kept) {
                assertFalse(zero, name + " kept entry " + i + " is zero");
            } else if (!now[i] || !old[i]) {
                assertTrue(zero, name + " entry " + i + " should be zero");
            }
        }
    }
}
