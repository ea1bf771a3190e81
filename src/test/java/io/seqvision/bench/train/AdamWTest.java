package io.seqvision.bench.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdamWTest {

    /** Loss sum(c * w^2) for a matrix w (decayed) and a bias b (not decayed): gradient 2 c w. */
    private static void backward(NDArray w, NDArray b, float c) {
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            collector.backward(w.square().sum().add(b.square().sum()).mul(c));
        }
    }

    @Test
    void matchesAPlainJavaAdamW() {
        double lr = 0.1;
        double wd = 0.05;
        float[] w0 = {0.5f, -1.0f, 2.0f, 0.25f};
        float[] b0 = {1.5f, -0.5f};
        try (NDManager manager = NDManager.newBaseManager()) {
            Parameter w = Parameter.builder().setName("w").setType(Parameter.Type.WEIGHT).build();
            Parameter b = Parameter.builder().setName("b").setType(Parameter.Type.BIAS).build();
            w.setArray(manager.create(w0, new Shape(2, 2)));
            b.setArray(manager.create(b0, new Shape(2)));
            w.getArray().setRequiresGradient(true);
            b.getArray().setRequiresGradient(true);
            AdamW optimizer = new AdamW(List.of(w, b), manager, 0.9, 0.999, 1e-8, wd);
            double[] rw = toDouble(w0);
            double[] rb = toDouble(b0);
            double[][] m = {new double[4], new double[2]};
            double[][] v = {new double[4], new double[2]};
            for (int step = 1; step <= 5; step++) {
                backward(w.getArray(), b.getArray(), 0.5f);
                optimizer.step(lr);
                reference(rw, m[0], v[0], step, lr, wd);
                reference(rb, m[1], v[1], step, lr, 0);
            }
            assertArrayEquals(toFloat(rw), w.getArray().toFloatArray(), 1e-5f);
            assertArrayEquals(toFloat(rb), b.getArray().toFloatArray(), 1e-5f);
            assertEquals(5, optimizer.steps());
        }
    }

    /** Gradient of 0.5 * x^2 is x. */
    private static void reference(double[] x, double[] m, double[] v, int t, double lr, double wd) {
        for (int i = 0; i < x.length; i++) {
            double g = x[i];
            m[i] = 0.9 * m[i] + 0.1 * g;
            v[i] = 0.999 * v[i] + 0.001 * g * g;
            double mHat = m[i] / (1 - Math.pow(0.9, t));
            double vHat = v[i] / (1 - Math.pow(0.999, t));
            x[i] *= 1 - lr * wd;
            x[i] -= lr * mHat / (Math.sqrt(vHat) + 1e-8);
        }
    }

    @Test
    void clippingScalesToTheGlobalNorm() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Parameter w = Parameter.builder().setName("w").setType(Parameter.Type.WEIGHT).build();
            w.setArray(manager.create(new float[] {3, 4}, new Shape(1, 2)));
            w.getArray().setRequiresGradient(true);
            AdamW optimizer = new AdamW(List.of(w), manager, 0);
            backward(w.getArray(), manager.zeros(new Shape(1)), 0.5f);
            assertEquals(5.0, optimizer.clipGradients(1.0), 1e-5);
            try (NDArray g = w.getArray().getGradient()) {
                assertArrayEquals(new float[] {0.6f, 0.8f}, g.toFloatArray(), 1e-5f);
            }
            assertEquals(1.0, optimizer.clipGradients(0), 1e-5, "0 disables clipping but reports the norm");
        }
    }

    @Test
    void stateRoundTripsThroughItsStream() throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            Parameter w = Parameter.builder().setName("w").setType(Parameter.Type.WEIGHT).build();
            w.setArray(manager.create(new float[] {1, -2, 3, 4}, new Shape(2, 2)));
            w.getArray().setRequiresGradient(true);
            AdamW first = new AdamW(List.of(w), manager, 0.01);
            backward(w.getArray(), manager.zeros(new Shape(1)), 1f);
            first.step(0.01);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            first.save(new DataOutputStream(bytes));
            NDArray snapshot = w.getArray().duplicate();

            backward(w.getArray(), manager.zeros(new Shape(1)), 1f);
            first.step(0.01);
            float[] expected = w.getArray().toFloatArray();

            snapshot.copyTo(w.getArray());
            AdamW second = new AdamW(List.of(w), manager, 0.01);
            second.load(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
            backward(w.getArray(), manager.zeros(new Shape(1)), 1f);
            second.step(0.01);
            assertArrayEquals(expected, w.getArray().toFloatArray(), 0f);
        }
    }

    private static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }

    private static float[] toFloat(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            f[i] = (float) a[i];
        }
        return f;
    }

    @Test
    void stepsAndClippingLeaveNoArraysBehind() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Parameter w = Parameter.builder().setName("w").setType(Parameter.Type.WEIGHT).build();
            w.setArray(manager.create(new float[] {1, -2, 3, 4}, new Shape(2, 2)));
            w.getArray().setRequiresGradient(true);
            AdamW optimizer = new AdamW(List.of(w), manager, 0.01);
            NDArray zeroBias = manager.zeros(new Shape(1));
            backward(w.getArray(), zeroBias, 1f);
            optimizer.clipGradients(0.5);
            optimizer.step(0.01);
            int before = manager.getManagedArrays().size();
            for (int i = 0; i < 5; i++) {
                backward(w.getArray(), zeroBias, 1f);
                optimizer.clipGradients(0.5);
                optimizer.step(0.01);
            }
            // backward's own loss arrays land in this manager too: count them separately
            int perBackward;
            int beforeBackward = manager.getManagedArrays().size();
            backward(w.getArray(), zeroBias, 1f);
            perBackward = manager.getManagedArrays().size() - beforeBackward;
            assertEquals(before + 5 * perBackward, beforeBackward,
                    "clipGradients and step add no arrays to the parameters' manager");
        }
    }
}
