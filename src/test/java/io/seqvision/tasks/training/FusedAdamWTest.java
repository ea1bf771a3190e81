package io.seqvision.tasks.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import io.seqvision.bench.train.AdamW;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * FusedAdamW against AdamW, the per-parameter optimizer it replaced (kept in the bench sources as the
 * reference and the bench's baseline), on the same gradients.
 */
class FusedAdamWTest {

    private static final float[] W0 = {0.5f, -1.0f, 2.0f, 0.25f, -0.75f, 1.5f};
    private static final float[] B0 = {1.5f, -0.5f, 0.1f};
    private static final float[] K0 = {-0.3f, 0.8f, 0.2f, -1.2f};

    /** Three parameters: w (2, 3) and k (4, 1) decayed, b (3) not; in list order w, b, k. */
    private static List<Parameter> parameters(NDManager manager) {
        List<Parameter> list = new ArrayList<>();
        list.add(parameter(manager, "w", Parameter.Type.WEIGHT, W0, new Shape(2, 3)));
        list.add(parameter(manager, "b", Parameter.Type.BIAS, B0, new Shape(3)));
        list.add(parameter(manager, "k", Parameter.Type.WEIGHT, K0, new Shape(4, 1)));
        return list;
    }

    private static Parameter parameter(NDManager manager, String name, Parameter.Type type, float[] values, Shape shape) {
        Parameter p = Parameter.builder().setName(name).setType(type).build();
        p.setArray(manager.create(values, shape));
        p.getArray().setRequiresGradient(true);
        return p;
    }

    /** A loss touching every parameter non-linearly, scaled by {@code c} (large c makes clipping bite). */
    private static NDArray loss(NDArray w, NDArray b, NDArray k, float c) {
        NDArray x = w.matMul(b.reshape(3, 1)).sum();
        return x.square().add(w.square().sum()).add(k.pow(3).sum()).add(b.exp().sum()).mul(c);
    }

    private static void backward(Function<Integer, NDArray> value, float c) {
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            collector.backward(loss(value.apply(0), value.apply(1), value.apply(2), c));
        }
    }

    @Test
    void matchesAdamWOverSeveralStepsWithAndWithoutClipping() {
        double[] rates = {0.1, 0.05, 0.02, 0.1, 0.01, 0.03};
        float[] scales = {1f, 30f, 0.5f, 50f, 1f, 5f};
        try (NDManager manager = NDManager.newBaseManager()) {
            List<Parameter> reference = parameters(manager);
            List<Parameter> fused = parameters(manager);
            AdamW adamW = new AdamW(reference, manager, 0.9, 0.999, 1e-8, 0.05);
            FlatParameters flat = new FlatParameters(fused, Set.of(), DataType.FLOAT32, manager);
            FusedAdamW fusedAdamW = new FusedAdamW(flat, manager, 0.9, 0.999, 1e-8, 0.05);
            assertEquals(2, flat.groups().size(), "one decayed group (w, k) and one not decayed (b)");
            for (int step = 0; step < rates.length; step++) {
                backward(i -> reference.get(i).getArray(), scales[step]);
                double expectedNorm = adamW.clipGradients(1.0);
                adamW.step(rates[step]);
                backward(i -> flat.view(fused.get(i), true), scales[step]);
                try (NDArray norm = fusedAdamW.clipGradients(1.0)) {
                    assertEquals(expectedNorm, norm.getFloat(), 1e-5 * expectedNorm, "global norm at step " + step);
                }
                fusedAdamW.step(rates[step]);
                for (int i = 0; i < 3; i++) {
                    assertArrayEquals(reference.get(i).getArray().toFloatArray(), fused.get(i).getArray().toFloatArray(),
                            1e-6f, "parameter " + fused.get(i).getName() + " after step " + step);
                }
            }
            assertEquals(rates.length, fusedAdamW.steps());
            assertNotEquals(W0[0], fused.get(0).getArray().toFloatArray()[0], "the parameters moved");
        }
    }

    @Test
    void zeroesTheGradientAfterEachStepSoStepsDoNotAccumulate() {
        try (NDManager manager = NDManager.newBaseManager()) {
            List<Parameter> fused = parameters(manager);
            FlatParameters flat = new FlatParameters(fused, Set.of(), DataType.FLOAT32, manager);
            FusedAdamW optimizer = new FusedAdamW(flat, manager, 0);
            backward(i -> flat.view(fused.get(i), true), 1f);
            optimizer.step(0.01);
            for (FlatParameters.Group group : flat.groups()) {
                try (NDArray g = group.master().getGradient()) {
                    assertEquals(0f, g.abs().sum().getFloat(), 0f);
                }
            }
        }
    }

    @Test
    void lossScaleIsDividedOutBeforeClippingAndTheUpdate() {
        try (NDManager manager = NDManager.newBaseManager()) {
            List<Parameter> reference = parameters(manager);
            List<Parameter> scaled = parameters(manager);
            AdamW adamW = new AdamW(reference, manager, 0.01);
            FlatParameters flat = new FlatParameters(scaled, Set.of(), DataType.FLOAT32, manager);
            FusedAdamW fused = new FusedAdamW(flat, manager, 0.01);
            backward(i -> reference.get(i).getArray(), 3f);
            double expectedNorm = adamW.clipGradients(0.5);
            adamW.step(0.05);
            backward(i -> flat.view(scaled.get(i), true), 3f * 1024);
            try (NDArray norm = fused.clipGradients(0.5, 1024)) {
                assertEquals(expectedNorm, norm.getFloat(), 1e-5 * expectedNorm);
            }
            fused.step(0.05);
            for (int i = 0; i < 3; i++) {
                assertArrayEquals(reference.get(i).getArray().toFloatArray(), scaled.get(i).getArray().toFloatArray(), 1e-6f);
            }
        }
    }

    @Test
    void skippedStepLeavesWeightsAndMomentsAndClearsNonFiniteGradients() {
        try (NDManager manager = NDManager.newBaseManager()) {
            List<Parameter> fused = parameters(manager);
            FlatParameters flat = new FlatParameters(fused, Set.of(), DataType.FLOAT32, manager);
            FusedAdamW optimizer = new FusedAdamW(flat, manager, 0.01);
            float[] before = fused.get(0).getArray().toFloatArray();
            backward(i -> flat.view(fused.get(i), true), Float.POSITIVE_INFINITY);
            try (NDArray norm = optimizer.clipGradients(1.0)) {
                assertFalse(Float.isFinite(norm.getFloat()), "an overflowed gradient shows as a non-finite norm");
            }
            optimizer.skipStep();
            assertArrayEquals(before, fused.get(0).getArray().toFloatArray(), 0f);
            assertEquals(0, optimizer.steps());
            backward(i -> flat.view(fused.get(i), true), 1f);
            try (NDArray norm = optimizer.clipGradients(1.0)) {
                assertTrue(Float.isFinite(norm.getFloat()), "zeroing cleared the infinities (x * 0 would keep NaN)");
            }
        }
    }

    /**
     * Issue 16, item 8: the fused moments are AdamW's times a float ratio; dividing it out to save
     * and multiplying it back to load moved some moments by an ulp, so a resumed run drifted.
     */
    /**
     * Issue 16, item 8 at its root. The optimizer once saved its moments divided by their float
     * scale over AdamW's and multiplied them back on load; for a few values in a million that round
     * trip is one ulp off, which is why a resume at some steps ended 1-2 ulps away from the run it
     * continued (at others no such value happened to be there, and the end-to-end resume tests pass
     * either way). Here the second moments are exactly such values (found by search), plus random
     * ones, and must survive save and load bit for bit.
     */
    @Test
    void momentsWhoseScaleRoundTripIsInexactSurviveSaveAndLoad() throws Exception {
        double firstRatio = (1f - 0.9f) / (double) (float) (1 - 0.9);
        double secondRatio = (1f - 0.999f) / (double) (float) (1 - 0.999);
        float scale = (float) secondRatio;
        int n = 64 * 64;
        float[] m = new float[n];
        float[] v = new float[n];
        java.util.Random random = new java.util.Random(8);
        int crafted = 0;
        for (int i = 0; i < n; i++) {
            m[i] = (float) random.nextGaussian() * 1e-3f;
            v[i] = random.nextFloat() * 1e-4f;
        }
        // every other of the first 256 second moments: a value whose divide-then-multiply is inexact
        while (crafted < 128) {
            float x = random.nextFloat() * 1e-4f;
            if ((x / scale) * scale != x) {
                v[2 * crafted++] = x;
            }
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            List<Parameter> parameters = List.of(parameter(manager, "w", Parameter.Type.WEIGHT, new float[n], new Shape(64, 64)));
            FusedAdamW a = new FusedAdamW(new FlatParameters(parameters, Set.of(), DataType.FLOAT32, manager), manager, 0.05);
            ByteArrayOutputStream state = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(state);
            new MomentScales(firstRatio, secondRatio, 7).write(out);
            out.writeInt(1);
            out.writeUTF("w");
            new ai.djl.ndarray.NDList(manager.create(m, new Shape(64, 64)), manager.create(v, new Shape(64, 64))).encode(out);
            a.load(new DataInputStream(new ByteArrayInputStream(state.toByteArray())));
            assertArrayEquals(v, a.moments(0, 1), 0f, "state in the optimizer's own scales is taken as it is");

            ByteArrayOutputStream saved = new ByteArrayOutputStream();
            a.save(new DataOutputStream(saved));
            FusedAdamW b = new FusedAdamW(new FlatParameters(List.of(parameter(manager, "w", Parameter.Type.WEIGHT,
                    new float[n], new Shape(64, 64))), Set.of(), DataType.FLOAT32, manager), manager, 0.05);
            b.load(new DataInputStream(new ByteArrayInputStream(saved.toByteArray())));
            for (int k = 0; k < 2; k++) {
                float[] expected = k == 0 ? m : v;
                float[] actual = b.moments(0, k);
                int differ = 0;
                for (int e = 0; e < n; e++) {
                    differ += Float.floatToRawIntBits(expected[e]) != Float.floatToRawIntBits(actual[e]) ? 1 : 0;
                }
                assertEquals(0, differ, (k == 0 ? "first" : "second") + " moments differing after save and load");
            }
        }
    }

    @Test
    void resumingFromItsOwnStateIsBitExact() throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            java.util.Random random = new java.util.Random(16);
            float[] init = new float[1 << 20];
            for (int i = 0; i < init.length; i++) {
                init[i] = (float) random.nextGaussian();
            }
            List<Parameter> straight = List.of(parameter(manager, "w", Parameter.Type.WEIGHT, init, new Shape(1024, 1024)));
            FlatParameters flatA = new FlatParameters(straight, Set.of(), DataType.FLOAT32, manager);
            FusedAdamW a = new FusedAdamW(flatA, manager, 0.05);
            for (int s = 0; s < 3; s++) {
                cubeBackward(flatA.view(straight.get(0), true));
                a.step(0.01);
            }
            ByteArrayOutputStream saved = new ByteArrayOutputStream();
            a.save(new DataOutputStream(saved));
            List<Parameter> resumed = List.of(parameter(manager, "w", Parameter.Type.WEIGHT,
                    straight.get(0).getArray().toFloatArray(), new Shape(1024, 1024)));
            FlatParameters flatB = new FlatParameters(resumed, Set.of(), DataType.FLOAT32, manager);
            FusedAdamW b = new FusedAdamW(flatB, manager, 0.05);
            b.load(new DataInputStream(new ByteArrayInputStream(saved.toByteArray())));
            for (int k = 0; k < 2; k++) {
                float[] expected = a.moments(0, k);
                float[] actual = b.moments(0, k);
                int differ = 0;
                for (int e = 0; e < expected.length; e++) {
                    differ += Float.floatToRawIntBits(expected[e]) != Float.floatToRawIntBits(actual[e]) ? 1 : 0;
                }
                assertEquals(0, differ, "moments " + k + " differing after the load");
            }
            for (int s = 0; s < 3; s++) {
                cubeBackward(flatA.view(straight.get(0), true));
                a.step(0.01);
                cubeBackward(flatB.view(resumed.get(0), true));
                b.step(0.01);
            }
            assertArrayEquals(straight.get(0).getArray().toFloatArray(), resumed.get(0).getArray().toFloatArray(), 0f);
            ByteArrayOutputStream stateA = new ByteArrayOutputStream();
            a.save(new DataOutputStream(stateA));
            ByteArrayOutputStream stateB = new ByteArrayOutputStream();
            b.save(new DataOutputStream(stateB));
            assertArrayEquals(stateA.toByteArray(), stateB.toByteArray(), "the moments continue bit for bit");
        }
    }

    private static void cubeBackward(NDArray w) {
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            collector.backward(w.pow(3).sum().add(w.sin().sum()).mul(1e-3f));
        }
    }

    @Test
    void checkpointsAreInterchangeableWithAdamW() throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            List<Parameter> reference = parameters(manager);
            AdamW adamW = new AdamW(reference, manager, 0.05);
            for (int s = 0; s < 2; s++) {
                backward(i -> reference.get(i).getArray(), 2f);
                adamW.step(0.05);
            }
            ByteArrayOutputStream saved = new ByteArrayOutputStream();
            adamW.save(new DataOutputStream(saved));

            List<Parameter> resumed = parameters(manager);
            for (int i = 0; i < 3; i++) {
                reference.get(i).getArray().copyTo(resumed.get(i).getArray());
            }
            FlatParameters flat = new FlatParameters(resumed, Set.of(), DataType.FLOAT32, manager);
            FusedAdamW fused = new FusedAdamW(flat, manager, 0.05);
            fused.load(new DataInputStream(new ByteArrayInputStream(saved.toByteArray())));
            assertEquals(2, fused.steps());

            backward(i -> reference.get(i).getArray(), 2f);
            adamW.step(0.05);
            backward(i -> flat.view(resumed.get(i), true), 2f);
            fused.step(0.05);
            for (int i = 0; i < 3; i++) {
                assertArrayEquals(reference.get(i).getArray().toFloatArray(), resumed.get(i).getArray().toFloatArray(), 1e-6f);
            }

            ByteArrayOutputStream again = new ByteArrayOutputStream();
            fused.save(new DataOutputStream(again));
            AdamW back = new AdamW(parameters(manager), manager, 0.05);
            back.load(new DataInputStream(new ByteArrayInputStream(again.toByteArray())));
            assertEquals(3, back.steps());
        }
    }

    @Test
    void float16ComputeSendsFloat32GradientsToTheMasters() {
        try (NDManager manager = NDManager.newBaseManager()) {
            List<Parameter> half = parameters(manager);
            FlatParameters flat = new FlatParameters(half, Set.of(half.get(1)), DataType.FLOAT16, manager);
            assertEquals(2, flat.groups().size(), "b stays float32; w and k share the decayed float16 group");
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray w = flat.view(half.get(0), true);
                NDArray b = flat.view(half.get(1), true);
                NDArray k = flat.view(half.get(2), true);
                assertEquals(DataType.FLOAT16, w.getDataType());
                assertEquals(DataType.FLOAT32, b.getDataType());
                assertEquals(DataType.FLOAT16, k.getDataType());
                // d/dw sum(w^2) = 2w, d/dk sum(3k) = 3, d/db sum(b^2) = 2b
                collector.backward(w.square().sum().add(k.mul(3f).sum()).add(b.square().sum()));
            }
            FlatParameters.Group decayed = flat.groups().get(0);
            FlatParameters.Group plain = flat.groups().get(1);
            try (NDArray g = decayed.master().getGradient(); NDArray gb = plain.master().getGradient()) {
                assertEquals(DataType.FLOAT32, g.getDataType());
                float[] expected = new float[W0.length + K0.length];
                for (int i = 0; i < W0.length; i++) {
                    expected[i] = 2 * W0[i];
                }
                java.util.Arrays.fill(expected, W0.length, expected.length, 3f);
                assertArrayEquals(expected, g.toFloatArray(), 1e-3f, "float16 rounding of 2w only");
                float[] expectedB = {2 * B0[0], 2 * B0[1], 2 * B0[2]};
                assertArrayEquals(expectedB, gb.toFloatArray(), 1e-6f);
            }
        }
    }

    @Test
    void rejectsNonFloat32AndDuplicateParameters() {
        try (NDManager manager = NDManager.newBaseManager()) {
            List<Parameter> list = parameters(manager);
            List<Parameter> twice = List.of(list.get(0), list.get(0));
            assertThrows(IllegalArgumentException.class, () -> new FlatParameters(twice, Set.of(), DataType.FLOAT32, manager));
            Parameter ints = Parameter.builder().setName("i").setType(Parameter.Type.WEIGHT).build();
            ints.setArray(manager.create(new int[] {1, 2}));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new FlatParameters(List.of(ints), Set.of(), DataType.FLOAT32, manager));
            assertTrue(e.getMessage().contains("'i'"), e.getMessage());
        }
    }
}
