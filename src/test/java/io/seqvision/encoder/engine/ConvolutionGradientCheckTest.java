package io.seqvision.encoder.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.seqvision.encoder.engine.ConvolutionGradientCheck.Case;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConvolutionGradientCheckTest {

    @Test
    void theReferenceGradientMatchesAHandComputedCase() {
        // 1 channel, 3x3 input, 3x3 kernel, padding 1, upstream gradient 1 only at the centre output:
        // dx[u][v] = w[u][v] (the centre output reads input (u, v) through tap (u, v))
        Case c = new Case(1, 1, 3, 1, 3);
        float[] w = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        float[] upstream = {0, 0, 0, 0, 1, 0, 0, 0, 0};
        assertArrayEquals(w, ConvolutionGradientCheck.referenceInputGradient(c, w, upstream));
        // upstream 1 at output (0, 0): it reads inputs (0..1, 0..1) through taps (1..2, 1..2)
        float[] corner = ConvolutionGradientCheck.referenceInputGradient(c, w, new float[] {1, 0, 0, 0, 0, 0, 0, 0, 0});
        assertArrayEquals(new float[] {5, 6, 0, 8, 9, 0, 0, 0, 0}, corner);
    }

    @Test
    void theReferenceHonoursStride() {
        // 4x4 input, 3x3 kernel, stride 2, padding 1: output (1, 1) reads inputs (1..3, 1..3)
        Case c = new Case(1, 1, 3, 2, 4);
        assertEquals(2, c.outputSize());
        float[] w = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        float[] dx = ConvolutionGradientCheck.referenceInputGradient(c, w, new float[] {0, 0, 0, 1});
        assertArrayEquals(new float[] {0, 0, 0, 0, 0, 1, 2, 3, 0, 4, 5, 6, 0, 7, 8, 9}, dx);
    }

    @Test
    void everyCaseOfTheEngineMatchesTheReferenceInThisTestRun() {
        // the build runs the tests with DNNL_MAX_CPU_ISA from the pom, so this holds on every CI machine
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            for (Case c : ConvolutionGradientCheck.CASES) {
                float[] engine = ConvolutionGradientCheck.engineInputGradient(c, manager);
                assertEquals(Optional.empty(), ConvolutionGradientCheck.compare(c, engine), c.toString());
            }
        }
        assertEquals("", ConvolutionGradientCheck.cpuProblem());
        assertDoesNotThrow(() -> ConvolutionGradientCheck.requireCorrectInputGradients(Device.cpu()));
    }

    @Test
    void aZeroedRowOfTheWindowIsReportedWithItsShape() {
        Case c = ConvolutionGradientCheck.CASES.get(1);
        float[][] in = ConvolutionGradientCheck.inputs(c);
        float[] faulty = ConvolutionGradientCheck.referenceInputGradient(c, in[1], in[2]);
        // what the faulty kernels do: part of a row reads zero
        faulty[5 * c.size() + 6] = 0f;
        Optional<String> problem = ConvolutionGradientCheck.compare(c, faulty);
        assertTrue(problem.isPresent());
        assertTrue(problem.get().contains("3->2 channels, 5x5 kernel, stride 1"), problem.get());
        assertTrue(problem.get().contains("element " + (5 * c.size() + 6)), problem.get());
    }
}
