package io.seqvision.encoder.slak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;

import io.seqvision.encoder.common.ConvBatchNorm;
import io.seqvision.encoder.common.DepthwiseConv;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

class DecomposedKernelConvTest {

    private static final int C = 3;

    /**
     * The block's inference output against three branches computed separately by hand: each a
     * zero-padded depthwise correlation with padding (kh/2, kw/2), then its BN's affine map.
     */
    @ParameterizedTest(name = "M={0}, N={1} on {2}x{3}, {4}")
    @CsvSource({
        "13, 5, 10, 7, AUTO",
        "13, 5, 10, 7, FFT",
        "51, 5, 14, 15, AUTO", // SLaK-T stage 1 at 56 px: the long side exceeds the map
        "7, 3, 6, 9, DIRECT",
        "5, 5, 6, 6, AUTO" // M = N: no small branch, as the official code
    })
    void outputIsTheSumOfThreeSeparatelyComputedBranches(
            int m, int n, int h, int w, DepthwiseConv.Path path) {
        try (NDManager manager = NDManager.newBaseManager()) {
            DecomposedKernelConv conv =
                    DecomposedKernelConv.builder()
                            .setChannels(C)
                            .setKernelSize(m)
                            .optSmallKernelSize(n)
                            .optPath(path)
                            .build();
            Shape shape = new Shape(2, C, h, w);
            conv.initialize(manager, DataType.FLOAT32, shape);
            Random random = new Random(m * 31 + n);
            randomise(conv, random);
            List<ConvBatchNorm> branches = conv.getBranches();
            assertEquals(m > n ? 3 : 2, branches.size());
            int[][] kernelShapes = {{m, n}, {n, m}, {n, n}};
            float[] x = new float[(int) shape.size()];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) random.nextGaussian();
            }
            float[] actual =
                    conv.forward(
                                    new ParameterStore(manager, false),
                                    new NDList(manager.create(x, shape)),
                                    false)
                            .singletonOrThrow()
                            .toFloatArray();
            assertEquals(x.length, actual.length);
            double[] expected = new double[x.length];
            for (int b = 0; b < branches.size(); b++) {
                double[] part =
                        branch(branches.get(b), x, 2, h, w, kernelShapes[b][0], kernelShapes[b][1]);
                for (int i = 0; i < expected.length; i++) {
                    expected[i] += part[i];
                }
            }
            for (int i = 0; i < x.length; i++) {
                assertEquals(expected[i], actual[i], 1e-4, "element " + i);
            }
        }
    }

    @Test
    void branchesHaveTheOfficialShapesAndNoBias() {
        try (NDManager manager = NDManager.newBaseManager()) {
            DecomposedKernelConv conv =
                    DecomposedKernelConv.builder().setChannels(4).setKernelSize(51).build();
            conv.initialize(manager, DataType.FLOAT32, new Shape(1, 4, 14, 14));
            List<ConvBatchNorm> branches = conv.getBranches();
            assertEquals(new Shape(4, 1, 51, 5), weight(branches.get(0)).getArray().getShape());
            assertEquals(new Shape(4, 1, 5, 51), weight(branches.get(1)).getArray().getShape());
            assertEquals(new Shape(4, 1, 5, 5), weight(branches.get(2)).getArray().getShape());
            // 3 conv weights + 3 x 4 BN arrays, no conv bias
            assertEquals(15, conv.getParameters().size());
            assertThrows(
                    IllegalArgumentException.class,
                    () -> DecomposedKernelConv.builder().setChannels(4).setKernelSize(50).build());
        }
    }

    private static Parameter weight(ConvBatchNorm branch) {
        return branch.getConv().getDirectParameters().get("weight");
    }

    private static void randomise(DecomposedKernelConv conv, Random random) {
        for (Pair<String, Parameter> pair : conv.getParameters()) {
            String name = pair.getKey();
            float[] values = new float[Math.toIntExact(pair.getValue().getArray().size())];
            for (int i = 0; i < values.length; i++) {
                double g = random.nextGaussian();
                values[i] =
                        (float)
                                (name.endsWith("runningVar")
                                        ? 0.5 + random.nextDouble()
                                        : name.endsWith("gamma") ? 1 + 0.3 * g : 0.3 * g);
            }
            pair.getValue().getArray().set(values);
        }
    }

    private static double[] branch(
            ConvBatchNorm branch, float[] x, int batch, int h, int w, int kh, int kw) {
        float[] k = weight(branch).getArray().toFloatArray();
        BatchNorm norm = branch.getNorm();
        float[] gamma = norm.getDirectParameters().get("gamma").getArray().toFloatArray();
        float[] beta = norm.getDirectParameters().get("beta").getArray().toFloatArray();
        float[] mean = norm.getDirectParameters().get("runningMean").getArray().toFloatArray();
        float[] var = norm.getDirectParameters().get("runningVar").getArray().toFloatArray();
        int ph = kh / 2, pw = kw / 2;
        double[] out = new double[x.length];
        for (int b = 0; b < batch; b++) {
            for (int c = 0; c < C; c++) {
                double scale = gamma[c] / Math.sqrt(var[c] + 1e-5);
                for (int i = 0; i < h; i++) {
                    for (int j = 0; j < w; j++) {
                        double sum = 0;
                        for (int u = 0; u < kh; u++) {
                            for (int v = 0; v < kw; v++) {
                                int y = i + u - ph, z = j + v - pw;
                                if (y >= 0 && y < h && z >= 0 && z < w) {
                                    sum +=
                                            k[(c * kh + u) * kw + v]
                                                    * x[((b * C + c) * h + y) * w + z];
                                }
                            }
                        }
                        out[((b * C + c) * h + i) * w + j] = (sum - mean[c]) * scale + beta[c];
                    }
                }
            }
        }
        return out;
    }
}
