package io.seqvision.bench.encoder;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import io.seqvision.encoder.common.DepthwiseConv;
import io.seqvision.encoder.common.DepthwiseConv.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code seqvision bench-dwconv}: times forward + backward of {@link DepthwiseConv}'s direct and FFT
 * paths and prints a Markdown table. Arguments: {@code [B C H W [repeats [kernel...]]]}, a kernel
 * being {@code K} or {@code MxN}; defaults {@code 8 64 56 56 3 7 13 31 51 101}. Each cell is the
 * best of {@code repeats} timed runs after one warm-up; the last column is the largest output
 * difference between the paths relative to the largest output.
 */
@Command(name = "bench-dwconv", mixinStandardHelpOptions = true,
        description = "Depthwise conv forward+backward, direct against FFT path, per kernel size (ms).")
public final class DepthwiseConvBench implements Callable<Integer> {

    @Parameters(paramLabel = "ARG", arity = "0..*",
            description = "B C H W [repeats [kernel...]], a kernel K or MxN (default: 8 64 56 56 3 7 13 31 51 101)")
    List<String> arguments = List.of();

    @Override
    public Integer call() {
        long[] dims = {8, 64, 56, 56};
        int repeats = 3;
        String[] args = arguments.toArray(new String[0]);
        String[] kernels = {"7", "13", "31", "51", "101"};
        if (args.length > 0 && args.length < 4) {
            throw new IllegalArgumentException("give all four of B C H W, or none; got " + arguments);
        }
        try {
            if (args.length >= 4) {
                for (int i = 0; i < 4; i++) {
                    dims[i] = Long.parseLong(args[i]);
                }
            }
            if (args.length >= 5) {
                repeats = Integer.parseInt(args[4]);
            }
            if (args.length >= 6) {
                kernels = Arrays.copyOfRange(args, 5, args.length);
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("B C H W and repeats must be integers: " + e.getMessage(), e);
        }
        Shape shape = new Shape(dims);
        System.out.printf(
                Locale.ROOT,
                "Depthwise conv forward+backward on %s, %d cores, OMP_NUM_THREADS=%s, best of %d"
                        + " (ms)%n%n",
                shape,
                Runtime.getRuntime().availableProcessors(),
                System.getenv().getOrDefault("OMP_NUM_THREADS", "unset"),
                repeats);
        System.out.println("| kernel | direct | fft | direct/fft | AUTO picks | max rel diff |");
        System.out.println("|---|---|---|---|---|---|");
        Engine.getInstance().setRandomSeed(1);
        for (String kernel : kernels) {
            int kh;
            int kw;
            try {
                String[] sides = kernel.split("x");
                kh = Integer.parseInt(sides[0]);
                kw = Integer.parseInt(sides[sides.length - 1]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("a kernel must be K or MxN, got " + kernel, e);
            }
            try (NDManager manager = NDManager.newBaseManager()) {
                NDArray x = manager.randomNormal(shape);
                NDArray w = manager.randomNormal(new Shape(dims[1], 1, kh, kw)).div(kh);
                float[] directOut = new float[0];
                float[] fftOut = new float[0];
                double[] best = new double[2];
                Path[] paths = {Path.DIRECT, Path.FFT};
                for (int p = 0; p < 2; p++) {
                    best[p] = Double.MAX_VALUE;
                    for (int r = 0; r <= repeats; r++) {
                        try (NDManager scope = manager.newSubManager()) {
                            NDArray xi = x.duplicate();
                            NDArray wi = w.duplicate();
                            xi.attach(scope);
                            wi.attach(scope);
                            xi.setRequiresGradient(true);
                            wi.setRequiresGradient(true);
                            long start = System.nanoTime();
                            NDArray out;
                            try (GradientCollector collector =
                                    Engine.getInstance().newGradientCollector()) {
                                out = DepthwiseConv.convolve(xi, wi, null, paths[p]);
                                collector.backward(out.sum());
                            }
                            // reading one gradient value waits for the backward to finish
                            wi.getGradient().getFloat(0, 0, 0, 0);
                            double ms = (System.nanoTime() - start) / 1e6;
                            if (r > 0) {
                                best[p] = Math.min(best[p], ms);
                            }
                            if (r == repeats) {
                                if (p == 0) {
                                    directOut = out.toFloatArray();
                                } else {
                                    fftOut = out.toFloatArray();
                                }
                            }
                        }
                    }
                }
                boolean auto = DepthwiseConv.prefersFft(kh, kw, dims[2], dims[3]);
                System.out.printf(
                        Locale.ROOT,
                        "| %dx%d | %.1f | %.1f | %.2f | %s | %.1e |%n",
                        kh,
                        kw,
                        best[0],
                        best[1],
                        best[0] / best[1],
                        auto ? "FFT" : "DIRECT",
                        relativeDifference(directOut, fftOut));
            }
        }
        return 0;
    }

    private static double relativeDifference(float[] expected, float[] actual) {
        double scale = 0, error = 0;
        for (int i = 0; i < expected.length; i++) {
            scale = Math.max(scale, Math.abs(expected[i]));
            error = Math.max(error, Math.abs(expected[i] - actual[i]));
        }
        return scale == 0 ? error : error / scale;
    }
}
