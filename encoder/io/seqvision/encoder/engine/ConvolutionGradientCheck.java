package io.seqvision.encoder.engine;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/**
 * Checks that the engine's CPU convolution gives correct gradients with respect to its input.
 *
 * <p>Why: on some processors (seen on virtualised AMD EPYC with AVX-512) the oneDNN JIT kernels
 * bundled with libtorch 2.7.1 return wrong input gradients for convolutions with few output
 * channels: whole rows of the kernel window read zero. The forward pass and the weight gradients
 * stay right, so training runs and nothing crashes; the numbers are silently wrong. Capping
 * oneDNN's instruction set with the environment variable {@code DNNL_MAX_CPU_ISA=AVX} (read once,
 * when libtorch starts) avoids those kernels. {@code bin/seqvision} runs {@link #main} once per
 * processor and sets the variable when this check fails; training and the receptive-field tool call
 * {@link #requireCorrectInputGradients} so a library user gets a clear error instead of wrong
 * gradients.
 *
 * <p>The check runs a few small convolutions (the shapes that failed) forward and backward and
 * compares the input gradient with {@link #referenceInputGradient}, a plain-Java loop. It costs a
 * few milliseconds and runs once per process.
 */
public final class ConvolutionGradientCheck {

    /** The variable that caps oneDNN's instruction set; read by libtorch when it loads. */
    public static final String ISA_VARIABLE = "DNNL_MAX_CPU_ISA";
    /** The cap that avoids the faulty kernels. */
    public static final String SAFE_ISA = "AVX";

    /** One convolution case: {@code (1, in, size, size)} input, {@code (out, in, k, k)} kernel. */
    record Case(int in, int out, int kernel, int stride, int size) {
        int padding() {
            return kernel / 2;
        }

        int outputSize() {
            return (size + 2 * padding() - kernel) / stride + 1;
        }
    }

    static final List<Case> CASES = List.of(
            new Case(1, 1, 3, 1, 12), new Case(3, 2, 5, 1, 15), new Case(16, 8, 5, 1, 12), new Case(3, 8, 7, 2, 16));

    private static volatile String cpuVerdict;

    private ConvolutionGradientCheck() {}

    /**
     * Throws when {@code device} is a CPU whose convolution input gradients are wrong, naming the
     * fix; does nothing on GPUs. The CPU is checked once per process.
     */
    public static void requireCorrectInputGradients(Device device) {
        if (!Device.Type.CPU.equals(device.getDeviceType())) {
            return;
        }
        String problem = cpuProblem();
        if (!problem.isEmpty()) {
            throw new IllegalStateException("the engine's CPU convolution gives wrong input gradients on this "
                    + "processor (" + problem + "), so training would silently compute wrong gradients. Start "
                    + "the JVM with the environment variable " + ISA_VARIABLE + "=" + SAFE_ISA
                    + " (bin/seqvision sets it on such processors by itself); it is currently "
                    + Optional.ofNullable(System.getenv(ISA_VARIABLE)).map(v -> "'" + v + "'").orElse("unset"));
        }
    }

    /** The first mismatch found on the CPU, or an empty string when every case is right. Cached. */
    public static String cpuProblem() {
        String verdict = cpuVerdict;
        if (verdict == null) {
            synchronized (ConvolutionGradientCheck.class) {
                if (cpuVerdict == null) {
                    cpuVerdict = runCases();
                }
                verdict = cpuVerdict;
            }
        }
        return verdict;
    }

    private static String runCases() {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            for (Case c : CASES) {
                Optional<String> problem = compare(c, engineInputGradient(c, manager));
                if (problem.isPresent()) {
                    return problem.get();
                }
            }
        }
        return "";
    }

    /** Inputs of one case, seeded so that every run checks the same numbers: x, w, then dL/dy. */
    static float[][] inputs(Case c) {
        Random random = new Random(31L * c.in() + c.out() * 7L + c.kernel());
        return new float[][] {
            gaussian(random, c.in() * c.size() * c.size()),
            gaussian(random, c.out() * c.in() * c.kernel() * c.kernel()),
            gaussian(random, c.out() * c.outputSize() * c.outputSize())
        };
    }

    static float[] engineInputGradient(Case c, NDManager manager) {
        float[][] in = inputs(c);
        try (NDManager scratch = manager.newSubManager()) {
            NDArray x = scratch.create(in[0], new Shape(1, c.in(), c.size(), c.size()));
            NDArray w = scratch.create(in[1], new Shape(c.out(), c.in(), c.kernel(), c.kernel()));
            NDArray upstream = scratch.create(in[2], new Shape(1, c.out(), c.outputSize(), c.outputSize()));
            x.setRequiresGradient(true);
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray y = Conv2d.conv2d(x, w, null, new Shape(c.stride(), c.stride()),
                        new Shape(c.padding(), c.padding()), new Shape(1, 1), 1).singletonOrThrow();
                collector.backward(y.mul(upstream).sum());
            }
            return x.getGradient().toFloatArray();
        }
    }

    /**
     * {@code dL/dx} for {@code L = sum(y * upstream)}, {@code y = conv2d(x, w)} with stride and
     * padding {@code k/2}: {@code dx[c,u,v] = sum over o,i,j,a,b with i*s-p+a = u, j*s-p+b = v of
     * upstream[o,i,j] * w[o,c,a,b]}.
     */
    static float[] referenceInputGradient(Case c, float[] w, float[] upstream) {
        int n = c.size();
        int m = c.outputSize();
        int k = c.kernel();
        double[] dx = new double[c.in() * n * n];
        for (int o = 0; o < c.out(); o++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < m; j++) {
                    double g = upstream[(o * m + i) * m + j];
                    for (int ch = 0; ch < c.in(); ch++) {
                        for (int a = 0; a < k; a++) {
                            int u = i * c.stride() - c.padding() + a;
                            if (u < 0 || u >= n) {
                                continue;
                            }
                            for (int b = 0; b < k; b++) {
                                int v = j * c.stride() - c.padding() + b;
                                if (v >= 0 && v < n) {
                                    dx[(ch * n + u) * n + v] += g * w[((o * c.in() + ch) * k + a) * k + b];
                                }
                            }
                        }
                    }
                }
            }
        }
        float[] out = new float[dx.length];
        for (int i = 0; i < dx.length; i++) {
            out[i] = (float) dx[i];
        }
        return out;
    }

    /**
     * Compares an engine gradient with the reference. Correct kernels agree to float rounding
     * (about 1e-7 of the largest value here); the faulty ones are off by the size of the values.
     */
    static Optional<String> compare(Case c, float[] engine) {
        float[][] in = inputs(c);
        float[] reference = referenceInputGradient(c, in[1], in[2]);
        double scale = 0;
        for (float v : reference) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < reference.length; i++) {
            if (!(Math.abs(engine[i] - reference[i]) <= 1e-5 * scale)) {
                return Optional.of(String.format("conv2d %d->%d channels, %dx%d kernel, stride %d: input gradient "
                        + "%g at element %d, expected %g", c.in(), c.out(), c.kernel(), c.kernel(), c.stride(),
                        engine[i], i, reference[i]));
            }
        }
        return Optional.empty();
    }

    private static float[] gaussian(Random random, int size) {
        float[] values = new float[size];
        for (int i = 0; i < size; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }

    /**
     * Prints {@code ok}, or {@code faulty: <first mismatch>} and exits with status 3; for launchers
     * that decide whether to set {@value #ISA_VARIABLE} before starting the real JVM.
     */
    public static void main(String[] args) {
        String problem = cpuProblem();
        if (problem.isEmpty()) {
            System.out.println("ok");
        } else {
            System.out.println("faulty: " + problem);
            System.exit(3);
        }
    }
}
