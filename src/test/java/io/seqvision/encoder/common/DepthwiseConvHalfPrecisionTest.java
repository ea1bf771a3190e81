package io.seqvision.encoder.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.seqvision.encoder.common.DepthwiseConv.Path;
import org.junit.jupiter.api.Test;

/**
 * The FFT path with float16 arrays, as float16 training feeds it: the engine has no float16 FFT on
 * the CPU (and cuFFT only for power-of-two lengths), so the path must run in float32 and hand back
 * float16, with gradients reaching a float32 master weight through the casts.
 */
class DepthwiseConvHalfPrecisionTest {

    @Test
    void float16InputMatchesTheFloat32PathAndGradientsReachTheMaster() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(5);
            NDArray x = manager.randomNormal(new Shape(2, 3, 12, 10));
            NDArray master = manager.randomNormal(new Shape(3, 1, 9, 7)).mul(0.1f);
            master.setRequiresGradient(true);
            NDArray expected;
            NDArray expectedGradient;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                expected = DepthwiseConv.convolve(x, master, null, Path.FFT);
                collector.backward(expected.square().sum());
            }
            try (NDArray g = master.getGradient()) {
                expectedGradient = g.duplicate();
                g.subi(g);
            }
            NDArray out;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray halfWeight = DifferentiableCast.to(master, DataType.FLOAT16);
                out = DepthwiseConv.convolve(x.toType(DataType.FLOAT16, false), halfWeight, null, Path.FFT);
                assertEquals(DataType.FLOAT16, out.getDataType());
                collector.backward(DifferentiableCast.to(out, DataType.FLOAT32).square().sum());
            }
            float scale = expected.abs().max().getFloat();
            float error = out.toType(DataType.FLOAT32, false).sub(expected).abs().max().getFloat();
            assertEquals(0, error / scale, 2e-3, "float16 rounding of input, kernel and output only");
            try (NDArray g = master.getGradient()) {
                assertEquals(DataType.FLOAT32, g.getDataType());
                float gradientScale = expectedGradient.abs().max().getFloat();
                float gradientError = g.sub(expectedGradient).abs().max().getFloat();
                assertEquals(0, gradientError / gradientScale, 5e-3);
            }
        }
    }

    @Test
    void differentiableCastsKeepTheGradientPathThatToTypeLoses() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray x = manager.create(new float[] {1.5f, -2f, 0.25f});
            x.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray half = DifferentiableCast.to(x, DataType.FLOAT16);
                NDArray back = DifferentiableCast.to(half.mul(half), DataType.FLOAT32);
                assertEquals(DataType.FLOAT16, half.getDataType());
                assertEquals(DataType.FLOAT32, back.getDataType());
                collector.backward(back.sum());
            }
            try (NDArray g = x.getGradient()) {
                org.junit.jupiter.api.Assertions.assertArrayEquals(new float[] {3f, -4f, 0.5f}, g.toFloatArray(), 1e-3f);
            }
        }
    }
}
