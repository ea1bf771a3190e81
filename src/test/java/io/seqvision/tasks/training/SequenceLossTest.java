package io.seqvision.tasks.training;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SequenceLossTest {

    @Test
    void equalsAPlainJavaWeightedCrossEntropy() {
        int b = 2;
        int l = 3;
        int v = 5;
        Random random = new Random(5);
        float[] logits = new float[b * l * v];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) random.nextGaussian() * 2;
        }
        long[] targets = {0, 4, 2, 1, 1, 3};
        float[] weights = {1, 0.5f, 0, 1, 1, 0.1f};
        double numerator = 0;
        double denominator = 0;
        for (int row = 0; row < b * l; row++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < v; k++) {
                max = Math.max(max, logits[row * v + k]);
            }
            double sum = 0;
            for (int k = 0; k < v; k++) {
                sum += Math.exp(logits[row * v + k] - max);
            }
            double logP = logits[row * v + (int) targets[row]] - max - Math.log(sum);
            numerator -= weights[row] * logP;
            denominator += weights[row];
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray loss = SequenceLoss.weightedCrossEntropy(
                    manager.create(logits, new Shape(b, l, v)),
                    manager.create(targets, new Shape(b, l)),
                    manager.create(weights, new Shape(b, l)));
            assertEquals(numerator / denominator, loss.getFloat(), 1e-5);
        }
    }

    @Test
    void softCoordinateTargetsMatchAPlainJavaComputation() {
        int v = 8;
        int start = 3;
        int bins = 5;
        long[] targets = {4, 1, 7, 0};
        float[] weights = {1, 0.5f, 2, 0};
        SequenceBatch batch = new SequenceBatch(1, 4, new long[4], targets, weights);
        CoordinateTargets soft = CoordinateTargets.of(batch, start, bins, 1.0);
        assertEquals(0, soft.hardWeights()[0]);
        assertEquals(1, soft.softWeights()[0]);
        assertEquals(0.5f, soft.hardWeights()[1]);
        assertEquals(0, soft.softWeights()[3], "zero-weight positions stay out");
        double[] q0 = {Math.exp(-0.5), 1, Math.exp(-0.5), Math.exp(-2), Math.exp(-4.5)};
        double z0 = 0;
        for (double q : q0) {
            z0 += q;
        }
        for (int b = 0; b < bins; b++) {
            assertEquals(q0[b] / z0, soft.soft()[b], 1e-6, "bin " + b);
        }

        Random random = new Random(9);
        float[] logits = new float[4 * v];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) random.nextGaussian();
        }
        double numerator = 0;
        double denominator = 0;
        for (int p = 0; p < 4; p++) {
            double[] logP = logSoftmax(logits, p * v, v);
            numerator -= soft.hardWeights()[p] * logP[(int) targets[p]];
            for (int b = 0; b < bins; b++) {
                numerator -= soft.softWeights()[p] * soft.soft()[p * bins + b] * logP[start + b];
            }
            denominator += soft.hardWeights()[p] + soft.softWeights()[p];
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray loss = SequenceLoss.weightedCrossEntropy(
                    manager.create(logits, new Shape(1, 4, v)),
                    manager.create(targets, new Shape(1, 4)),
                    manager.create(soft.hardWeights(), new Shape(1, 4)),
                    manager.create(soft.softWeights(), new Shape(1, 4)),
                    manager.create(soft.soft(), new Shape(1, 4, bins)),
                    start);
            assertEquals(numerator / denominator, loss.getFloat(), 1e-5);

            CoordinateTargets none = CoordinateTargets.of(batch, start, bins, 0);
            NDArray plain = SequenceLoss.weightedCrossEntropy(
                    manager.create(logits, new Shape(1, 4, v)),
                    manager.create(targets, new Shape(1, 4)),
                    manager.create(none.hardWeights(), new Shape(1, 4)),
                    manager.create(none.softWeights(), new Shape(1, 4)),
                    manager.create(none.soft(), new Shape(1, 4, bins)),
                    start);
            NDArray reference = SequenceLoss.weightedCrossEntropy(
                    manager.create(logits, new Shape(1, 4, v)),
                    manager.create(targets, new Shape(1, 4)),
                    manager.create(weights, new Shape(1, 4)));
            assertEquals(reference.getFloat(), plain.getFloat(), 1e-6, "sigma 0 is plain cross-entropy");
        }
    }

    private static double[] logSoftmax(float[] logits, int offset, int v) {
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < v; k++) {
            max = Math.max(max, logits[offset + k]);
        }
        double sum = 0;
        for (int k = 0; k < v; k++) {
            sum += Math.exp(logits[offset + k] - max);
        }
        double[] out = new double[v];
        for (int k = 0; k < v; k++) {
            out[k] = logits[offset + k] - max - Math.log(sum);
        }
        return out;
    }
}
