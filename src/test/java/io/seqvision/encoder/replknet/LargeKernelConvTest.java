package io.seqvision.encoder.replknet;

import static io.seqvision.encoder.replknet.ModelChecks.infer;
import static io.seqvision.encoder.replknet.ModelChecks.randomiseBatchNorms;
import static io.seqvision.encoder.replknet.ModelChecks.relativeError;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.BatchNorm;

import io.seqvision.encoder.common.ConvBatchNorm;
import io.seqvision.encoder.common.DepthwiseConv;

import org.junit.jupiter.api.Test;

import java.util.Random;

class LargeKernelConvTest {

    private static final int C = 2, K = 7, S = 3, H = 6, W = 5;

    @Test
    void inferenceOutputIsTheSumOfTwoNormalisedConvsComputedByHand() {
        try (NDManager manager = NDManager.newBaseManager()) {
            LargeKernelConv conv = trainingForm(manager, DepthwiseConv.Path.AUTO);
            float[] x = gaussian(new Random(1), C * H * W);
            float[] actual = infer(manager, conv, manager.create(x, new Shape(1, C, H, W)));
            double[] large = normalised(conv.getLargeBranch(), x, K);
            double[] small = normalised(conv.getSmallBranch(), x, S);
            for (int i = 0; i < actual.length; i++) {
                assertEquals(large[i] + small[i], actual[i], 1e-4, "element " + i);
            }
        }
    }

    @Test
    void mergedKernelIsTheFoldedLargeKernelPlusTheCentredFoldedSmallKernel() {
        try (NDManager manager = NDManager.newBaseManager()) {
            LargeKernelConv source = trainingForm(manager, DepthwiseConv.Path.DIRECT);
            LargeKernelConv merged =
                    LargeKernelConv.builder()
                            .setChannels(C)
                            .setKernelSize(K)
                            .optSmallKernelSize(S)
                            .optMerged(true)
                            .build();
            merged.initialize(manager, DataType.FLOAT32, new Shape(1, C, H, W));
            merged.mergeFrom(source);
            assertNull(merged.getLargeBranch());
            assertEquals(2, merged.getParameters().size(), "weight and bias only");

            float[] kernel = merged.getMergedConv().getWeight().getArray().toFloatArray();
            float[] bias = merged.getMergedConv().getBias().getArray().toFloatArray();
            float[] bigKernel = weight(source.getLargeBranch());
            float[] smallKernel = weight(source.getSmallBranch());
            int offset = (K - S) / 2;
            for (int c = 0; c < C; c++) {
                double[] big = scaleAndShift(source.getLargeBranch(), c);
                double[] little = scaleAndShift(source.getSmallBranch(), c);
                assertEquals(big[1] + little[1], bias[c], 1e-6, "bias " + c);
                for (int i = 0; i < K; i++) {
                    for (int j = 0; j < K; j++) {
                        double expected = big[0] * bigKernel[(c * K + i) * K + j];
                        int si = i - offset, sj = j - offset;
                        if (si >= 0 && si < S && sj >= 0 && sj < S) {
                            expected += little[0] * smallKernel[(c * S + si) * S + sj];
                        }
                        assertEquals(expected, kernel[(c * K + i) * K + j], 1e-6, c + "," + i + "," + j);
                    }
                }
            }
            NDArray x = manager.randomNormal(new Shape(3, C, H, W));
            double error = relativeError(infer(manager, source, x), infer(manager, merged, x));
            assertTrue(error < 1e-5, "merged vs training form: " + error);
        }
    }

    @Test
    void noSmallKernelMeansOneBranch() {
        try (NDManager manager = NDManager.newBaseManager()) {
            LargeKernelConv conv =
                    LargeKernelConv.builder()
                            .setChannels(C)
                            .setKernelSize(K)
                            .optSmallKernelSize(0)
                            .build();
            conv.initialize(manager, DataType.FLOAT32, new Shape(1, C, H, W));
            assertNull(conv.getSmallBranch());
            // conv weight + 4 norm arrays
            assertEquals(5, conv.getParameters().size());
        }
    }

    @Test
    void badSettingsAndMergeDirectionsFailClearly() {
        assertThrows(
                IllegalArgumentException.class,
                () -> LargeKernelConv.builder().setChannels(4).setKernelSize(6).build());
        IllegalArgumentException tooBig =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                LargeKernelConv.builder()
                                        .setChannels(4)
                                        .setKernelSize(5)
                                        .optSmallKernelSize(7)
                                        .build());
        assertTrue(tooBig.getMessage().contains("7"), tooBig.getMessage());
        try (NDManager manager = NDManager.newBaseManager()) {
            LargeKernelConv a = trainingForm(manager, DepthwiseConv.Path.AUTO);
            LargeKernelConv b = trainingForm(manager, DepthwiseConv.Path.AUTO);
            IllegalStateException wrongWay =
                    assertThrows(IllegalStateException.class, () -> a.mergeFrom(b));
            assertTrue(wrongWay.getMessage().contains("not merged"), wrongWay.getMessage());
            LargeKernelConv otherSize =
                    LargeKernelConv.builder().setChannels(C).setKernelSize(9).optMerged(true).build();
            otherSize.initialize(manager, DataType.FLOAT32, new Shape(1, C, H, W));
            assertThrows(IllegalArgumentException.class, () -> otherSize.mergeFrom(a));
        }
    }

    private static LargeKernelConv trainingForm(NDManager manager, DepthwiseConv.Path path) {
        LargeKernelConv conv =
                LargeKernelConv.builder()
                        .setChannels(C)
                        .setKernelSize(K)
                        .optSmallKernelSize(S)
                        .optPath(path)
                        .build();
        conv.initialize(manager, DataType.FLOAT32, new Shape(1, C, H, W));
        randomiseBatchNorms(conv, 7);
        return conv;
    }

    private static float[] weight(ConvBatchNorm branch) {
        return branch.getConv().getDirectParameters().get("weight").getArray().toFloatArray();
    }

    /** {@code (gamma / sqrt(var + eps), beta - mean * gamma / sqrt(var + eps))} of channel c. */
    private static double[] scaleAndShift(ConvBatchNorm branch, int c) {
        BatchNorm norm = branch.getNorm();
        double gamma = value(norm.getDirectParameters().get("gamma"), c);
        double beta = value(norm.getDirectParameters().get("beta"), c);
        double mean = value(norm.getDirectParameters().get("runningMean"), c);
        double var = value(norm.getDirectParameters().get("runningVar"), c);
        double t = gamma / Math.sqrt(var + 1e-5);
        return new double[] {t, beta - mean * t};
    }

    private static double value(Parameter parameter, int index) {
        return parameter.getArray().toFloatArray()[index];
    }

    /** The branch in inference: zero-padded depthwise correlation, then the BN's affine map. */
    private static double[] normalised(ConvBatchNorm branch, float[] x, int k) {
        float[] kernel = weight(branch);
        int pad = k / 2;
        double[] out = new double[C * H * W];
        for (int c = 0; c < C; c++) {
            double[] affine = scaleAndShift(branch, c);
            for (int i = 0; i < H; i++) {
                for (int j = 0; j < W; j++) {
                    double sum = 0;
                    for (int u = 0; u < k; u++) {
                        for (int v = 0; v < k; v++) {
                            int y = i + u - pad, z = j + v - pad;
                            if (y >= 0 && y < H && z >= 0 && z < W) {
                                sum += kernel[(c * k + u) * k + v] * x[(c * H + y) * W + z];
                            }
                        }
                    }
                    out[(c * H + i) * W + j] = affine[0] * sum + affine[1];
                }
            }
        }
        return out;
    }

    private static float[] gaussian(Random random, int n) {
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }
}
