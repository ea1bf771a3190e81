package io.seqvision.encoder.pelk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;

import io.seqvision.encoder.hornet.ModelTesting;

import org.junit.jupiter.api.Test;

import java.util.Random;

class SharingGridTest {

    /**
     * The parameter cell of kernel position {@code u} along an axis, from the closed form of the
     * rule: with {@code d} the distance from the centre and {@code r} the fine-grained radius,
     * positions with {@code d <= r} have their own cell; beyond, cells of 2, 4, 8, ... positions
     * make {@code d} fall in block {@code j = floor(log2(d - r + 1))} (blocks {@code 2^j} positions
     * long; the outermost block is whatever part of its run fits in the kernel).
     */
    private static int expectedCell(int u, int kernel, int centre) {
        int side = (kernel - 1) / 2;
        int r = Math.min((centre - 1) / 2, side);
        int outerBlocks = side > r ? log2(side - r + 1) : 0;
        int d = u - side;
        int distance = Math.abs(d);
        if (distance <= r) {
            return outerBlocks + r + d;
        }
        int block = log2(distance - r + 1);
        return d < 0 ? outerBlocks - block : outerBlocks + 2 * r + block;
    }

    private static int log2(int n) {
        return 31 - Integer.numberOfLeadingZeros(n);
    }

    @Test
    void cellsFollowTheExponentialRuleForThePapersKernels() {
        int[][] cases = {
            {51, 5}, {49, 5}, {47, 5}, {13, 5}, {31, 5}, {101, 7}, {69, 7}, {67, 7}, {7, 5}, {5, 5},
            {3, 5}, {1, 5}, {9, 3}, {17, 1}
        };
        for (int[] c : cases) {
            SharingGrid grid = SharingGrid.of(c[0], c[1]);
            int[] cells = grid.getCellOfPosition();
            for (int u = 0; u < c[0]; u++) {
                assertEquals(expectedCell(u, c[0], c[1]), cells[u], grid + " position " + u);
            }
            assertEquals(cells[c[0] - 1] + 1, grid.getParameterSize(), grid.toString());
            int sum = 0;
            for (int s : grid.getCellSizes()) {
                sum += s;
            }
            assertEquals(c[0], sum, grid.toString());
        }
    }

    @Test
    void cellSizesMatchTheDerivedGridsOfThePaper() {
        // OPERATORS.md: 51 -> [9,8,4,2,1,1,1] from outside to centre, K' 13; 31 -> K' 11;
        // 49, 47, 13 -> K' 13, 13, 9; 101 with a 7x7 centre -> [17,16,8,4,2,1,1,1,1], K' 17
        assertArrayEquals(
                new int[] {9, 8, 4, 2, 1, 1, 1, 1, 1, 2, 4, 8, 9},
                SharingGrid.of(51, 5).getCellSizes());
        assertArrayEquals(
                new int[] {7, 4, 2, 1, 1, 1, 1, 1, 2, 4, 7}, SharingGrid.of(31, 5).getCellSizes());
        assertArrayEquals(
                new int[] {17, 16, 8, 4, 2, 1, 1, 1, 1, 1, 1, 1, 2, 4, 8, 16, 17},
                SharingGrid.of(101, 7).getCellSizes());
        assertEquals(13, SharingGrid.of(49, 5).getParameterSize());
        assertEquals(13, SharingGrid.of(47, 5).getParameterSize());
        assertArrayEquals(
                new int[] {2, 2, 1, 1, 1, 1, 1, 2, 2}, SharingGrid.of(13, 5).getCellSizes());
        // a centre covering the whole kernel leaves it dense
        assertArrayEquals(new int[] {1, 1, 1}, SharingGrid.of(3, 5).getCellSizes());
    }

    @Test
    void expandedKernelEqualsTheExplicitPerPositionConstruction() {
        Random random = new Random(1);
        for (int[] c : new int[][] {{13, 5}, {51, 5}, {101, 7}, {9, 3}}) {
            SharingGrid grid = SharingGrid.of(c[0], c[1]);
            int k = c[0];
            int cells = grid.getParameterSize();
            int channels = 3;
            float[] parameters = ModelTesting.gaussian(random, channels * cells * cells, 1);
            float[] dense;
            try (NDManager manager = NDManager.newBaseManager()) {
                NDArray expanded =
                        grid.expand(
                                manager.create(parameters, new Shape(channels, 1, cells, cells)));
                assertEquals(new Shape(channels, 1, k, k), expanded.getShape());
                dense = expanded.toFloatArray();
            }
            for (int ch = 0; ch < channels; ch++) {
                for (int u = 0; u < k; u++) {
                    for (int v = 0; v < k; v++) {
                        int a = expectedCell(u, k, c[1]);
                        int b = expectedCell(v, k, c[1]);
                        assertEquals(
                                parameters[(ch * cells + a) * cells + b],
                                dense[(ch * k + u) * k + v],
                                grid + " at " + ch + "," + u + "," + v);
                    }
                }
            }
        }
    }

    @Test
    void gradientOfASharedParameterSumsOverItsCell() {
        SharingGrid grid = SharingGrid.of(13, 5);
        int k = 13;
        int cells = grid.getParameterSize();
        Random random = new Random(2);
        float[] probe = ModelTesting.gaussian(random, k * k, 1);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray parameters = manager.randomNormal(new Shape(1, 1, cells, cells));
            parameters.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray dense = grid.expand(parameters);
                collector.backward(dense.mul(manager.create(probe, new Shape(1, 1, k, k))).sum());
            }
            float[] grad = parameters.getGradient().toFloatArray();
            double[] expected = new double[cells * cells];
            for (int u = 0; u < k; u++) {
                for (int v = 0; v < k; v++) {
                    expected[expectedCell(u, k, 5) * cells + expectedCell(v, k, 5)] +=
                            probe[u * k + v];
                }
            }
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], grad[i], 1e-5, "cell " + i);
            }
        }
    }

    @Test
    void rejectsEvenSizesAndMismatchedParameters() {
        assertThrows(IllegalArgumentException.class, () -> SharingGrid.of(12, 5));
        assertThrows(IllegalArgumentException.class, () -> SharingGrid.of(13, 4));
        try (NDManager manager = NDManager.newBaseManager()) {
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () ->
                                    SharingGrid.of(13, 5)
                                            .expand(manager.zeros(new Shape(2, 1, 8, 8))));
            assertEquals(true, e.getMessage().contains("(2, 1, 8, 8)"), e.getMessage());
        }
    }
}
