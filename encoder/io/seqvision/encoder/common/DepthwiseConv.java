package io.seqvision.encoder.common;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.UniformInitializer;
import ai.djl.util.PairList;

/**
 * A depthwise 2-D convolution with a {@code kh x kw} kernel (square or rectangular), stride 1 and
 * padding {@code (kh/2, kw/2)} as the official RepLKNet and SLaK code pad, computed either
 * directly (the engine's grouped conv2d) or through FFTs, with the same result to float rounding.
 *
 * <p>{@code y[b,c,i,j] = bias[c] + sum_{u,v} w[c,0,u,v] * x[b,c,i+u-kh/2,j+v-kw/2]} (zero outside
 * the input). Input: one array {@code (B, C, H, W)}. Output: {@code (B, C, H + 2(kh/2) - kh + 1,
 * W + 2(kw/2) - kw + 1)}, i.e. {@code (B, C, H, W)} for odd kernels. Parameters: {@code weight}
 * {@code (C, 1, kh, kw)}; {@code bias} {@code (C)} when enabled. Both are initialised as PyTorch
 * initialises a conv: uniform in {@code +-1/sqrt(kh*kw)}.
 *
 * <p>The FFT path costs {@code O(log(HW))} per pixel instead of {@code O(kh*kw)}, so it wins for
 * large kernels; {@link Path#AUTO} picks the cheaper one per call with {@link #prefersFft}.
 * Gradients flow through both paths (the FFT ops are differentiable in the engine). Half-precision
 * inputs take the FFT path in float32 and return in their own type. Every op of the FFT path runs on
 * the input's device (rfft, fft, complex product, ifft, irfft, slicing): nothing is copied to the host.
 */
public final class DepthwiseConv extends AbstractBlock {

    /** How the convolution is computed. */
    public enum Path {
        /** {@link #prefersFft} decides per call from the kernel and feature-map sizes. */
        AUTO,
        /** The engine's grouped conv2d. */
        DIRECT,
        /** Real FFT along W, complex FFT along H, pointwise product, inverse, crop. */
        FFT
    }

    /**
     * AUTO takes the FFT path when the direct path's work, {@code H * W * kh * kw} taps, is at
     * least this many times the FFT path's transform area {@code Lh * Lw}. Measured with {@code
     * bin/seqvision bench-dwconv} on the 2-core CPU (one intra-op thread, forward + backward, 512 planes of
     * 14x14 to 56x56): the direct path costs about 1 ns per tap and the FFT path about 20 ns per
     * transform pixel; 60 leaves a 3x margin because on small maps fixed per-op costs dominate
     * the FFT path.
     */
    public static final double AUTO_FFT_COST_RATIO = 60;

    private static final byte VERSION = 1;

    private final int channels;
    private final int kernelHeight;
    private final int kernelWidth;
    private final boolean hasBias;
    private final Path path;
    private final Parameter weight;
    private final Parameter bias;

    private DepthwiseConv(Builder builder) {
        super(VERSION);
        channels = builder.channels;
        kernelHeight = builder.kernelHeight;
        kernelWidth = builder.kernelWidth;
        hasBias = builder.bias;
        path = builder.path;
        UniformInitializer torchDefault =
                new UniformInitializer((float) (1 / Math.sqrt((double) kernelHeight * kernelWidth)));
        weight =
                addParameter(
                        Parameter.builder()
                                .setName("weight")
                                .setType(Parameter.Type.WEIGHT)
                                .optShape(new Shape(channels, 1, kernelHeight, kernelWidth))
                                .optInitializer(torchDefault)
                                .build());
        bias =
                hasBias
                        ? addParameter(
                                Parameter.builder()
                                        .setName("bias")
                                        .setType(Parameter.Type.BIAS)
                                        .optShape(new Shape(channels))
                                        .optInitializer(torchDefault)
                                        .build())
                        : null;
    }

    public static Builder builder() {
        return new Builder();
    }

    public int getChannels() {
        return channels;
    }

    public int getKernelHeight() {
        return kernelHeight;
    }

    public int getKernelWidth() {
        return kernelWidth;
    }

    public boolean hasBias() {
        return hasBias;
    }

    public Path getPath() {
        return path;
    }

    /** The weight parameter, {@code (C, 1, kh, kw)}. */
    public Parameter getWeight() {
        return weight;
    }

    /** The bias parameter {@code (C)}, or null when the conv has none. */
    public Parameter getBias() {
        return bias;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDArray input = inputs.singletonOrThrow();
        checkInput(input.getShape());
        NDArray w = parameterStore.getValue(weight, input.getDevice(), training);
        NDArray b = hasBias ? parameterStore.getValue(bias, input.getDevice(), training) : null;
        return new NDList(convolve(input, w, b, path));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape in = inputShapes[0];
        checkInput(in);
        return new Shape[] {
            new Shape(
                    in.get(0),
                    channels,
                    outputSize(in.get(2), kernelHeight),
                    outputSize(in.get(3), kernelWidth))
        };
    }

    @Override
    protected void beforeInitialize(Shape... inputShapes) {
        checkInput(inputShapes[0]);
        super.beforeInitialize(inputShapes);
    }

    /**
     * Depthwise convolution of {@code input (B, C, H, W)} with {@code weight (C, 1, kh, kw)}, an
     * optional {@code bias (C)} (may be null), stride 1 and padding {@code (kh/2, kw/2)}.
     *
     * @throws IllegalArgumentException if the shapes do not fit together
     */
    public static NDArray convolve(NDArray input, NDArray weight, NDArray bias, Path path) {
        Shape x = input.getShape();
        Shape w = weight.getShape();
        if (x.dimension() != 4
                || w.dimension() != 4
                || w.get(0) != x.get(1)
                || w.get(1) != 1
                || (bias != null && !bias.getShape().equals(new Shape(x.get(1))))) {
            throw new IllegalArgumentException(
                    "depthwise conv needs input (B, C, H, W), weight (C, 1, kh, kw) and bias (C);"
                            + " got input "
                            + x
                            + ", weight "
                            + w
                            + ", bias "
                            + (bias == null ? "none" : bias.getShape()));
        }
        int kh = Math.toIntExact(w.get(2));
        int kw = Math.toIntExact(w.get(3));
        if (outputSize(x.get(2), kh) <= 0 || outputSize(x.get(3), kw) <= 0) {
            throw new IllegalArgumentException(
                    "depthwise conv kernel " + kh + "x" + kw + " gives no output for input " + x);
        }
        boolean fft =
                path == Path.FFT || (path == Path.AUTO && prefersFft(kh, kw, x.get(2), x.get(3)));
        return fft ? viaFft(input, weight, bias) : direct(input, weight, bias);
    }

    /**
     * Whether {@link Path#AUTO} uses the FFT path for a {@code kh x kw} kernel on an {@code h x w}
     * map: when {@code h * w * kh * kw >= AUTO_FFT_COST_RATIO * Lh * Lw}, with {@code Lh, Lw} the
     * transform lengths the FFT path would use.
     */
    public static boolean prefersFft(long kh, long kw, long h, long w) {
        double directTaps = (double) h * w * kh * kw;
        double transformArea = (double) fftLength(h, kh) * fftLength(w, kw);
        return directTaps >= AUTO_FFT_COST_RATIO * transformArea;
    }

    /** The transform length along an axis of {@code size} with a kernel of {@code kernel}. */
    static long fftLength(long size, long kernel) {
        return fastLength(Math.max(size + kernel / 2, kernel));
    }

    private static NDArray direct(NDArray input, NDArray weight, NDArray bias) {
        Shape w = weight.getShape();
        return Conv2d.conv2d(
                        input,
                        weight,
                        bias,
                        new Shape(1, 1),
                        new Shape(w.get(2) / 2, w.get(3) / 2),
                        new Shape(1, 1),
                        Math.toIntExact(w.get(0)))
                .singletonOrThrow();
    }

    /**
     * Correlation by the convolution theorem. With the kernel flipped, the linear convolution
     * {@code full} of the image and kernel holds the padded correlation at offset {@code k-1-k/2}
     * along each axis. A transform length {@code L >= max(H + k/2, k)} keeps the wrapped-around
     * tail of the circular convolution off every output index we read, which is shorter than the
     * usual {@code H + k - 1}.
     */
    private static NDArray viaFft(NDArray input, NDArray weight, NDArray bias) {
        DataType type = input.getDataType();
        if (type != DataType.FLOAT32 && type != DataType.FLOAT64) {
            // Half-precision FFTs do not exist on the CPU and only for power-of-two lengths in
            // cuFFT, and their rounding would compound over the transform; PyTorch's autocast
            // runs FFTs in float32 for the same reasons. The casts keep the gradient path.
            NDArray out = viaFft(
                    DifferentiableCast.to(input, DataType.FLOAT32),
                    DifferentiableCast.to(weight, DataType.FLOAT32),
                    bias == null ? null : DifferentiableCast.to(bias, DataType.FLOAT32));
            return DifferentiableCast.to(out, type);
        }
        Shape x = input.getShape();
        long c = x.get(1);
        long h = x.get(2);
        long wd = x.get(3);
        long kh = weight.getShape().get(2);
        long kw = weight.getShape().get(3);
        long lh = fftLength(h, kh);
        long lw = fftLength(wd, kw);
        NDArray imageSpectrum = input.rfft(lw, 3).fft(lh, 2);
        NDArray kernelSpectrum = weight.reshape(c, kh, kw).flip(1, 2).rfft(lw, 2).fft(lh, 1);
        NDArray full = imageSpectrum.mul(kernelSpectrum).ifft(lh, 2).irfft(lw, 3);
        long top = kh - 1 - kh / 2;
        long left = kw - 1 - kw / 2;
        NDArray out =
                full.get(
                        new NDIndex(
                                ":, :, {}:{}, {}:{}",
                                top,
                                top + outputSize(h, kh),
                                left,
                                left + outputSize(wd, kw)));
        return bias == null ? out : out.add(bias.reshape(c, 1, 1));
    }

    /** The smallest {@code n >= minimum} with no prime factor above 5 (fast FFT lengths). */
    static long fastLength(long minimum) {
        for (long n = Math.max(minimum, 1); ; n++) {
            long rest = n;
            for (long p : new long[] {2, 3, 5}) {
                while (rest % p == 0) {
                    rest /= p;
                }
            }
            if (rest == 1) {
                return n;
            }
        }
    }

    private static long outputSize(long size, long kernel) {
        return size + 2 * (kernel / 2) - kernel + 1;
    }

    private void checkInput(Shape shape) {
        if (shape.dimension() != 4 || shape.get(1) != channels) {
            throw new IllegalArgumentException(
                    "DepthwiseConv with "
                            + channels
                            + " channels expects input (B, "
                            + channels
                            + ", H, W), got shape "
                            + shape);
        }
        if (outputSize(shape.get(2), kernelHeight) <= 0
                || outputSize(shape.get(3), kernelWidth) <= 0) {
            throw new IllegalArgumentException(
                    "DepthwiseConv kernel "
                            + kernelHeight
                            + "x"
                            + kernelWidth
                            + " gives no output for input "
                            + shape);
        }
    }

    /**
     * Builds a {@link DepthwiseConv}. Required: {@link #setChannels} and a kernel ({@link
     * #setKernelSize} or {@link #setKernelShape}). Defaults: no bias (as the large-kernel branches
     * of RepLKNet and SLaK), {@link Path#AUTO}.
     */
    public static final class Builder {
        private int channels;
        private int kernelHeight;
        private int kernelWidth;
        private boolean bias;
        private Path path = Path.AUTO;

        private Builder() {}

        public Builder setChannels(int channels) {
            this.channels = channels;
            return this;
        }

        /** A square {@code k x k} kernel. */
        public Builder setKernelSize(int size) {
            return setKernelShape(size, size);
        }

        /** A {@code height x width} kernel (height along H). */
        public Builder setKernelShape(int height, int width) {
            this.kernelHeight = height;
            this.kernelWidth = width;
            return this;
        }

        public Builder optBias(boolean bias) {
            this.bias = bias;
            return this;
        }

        public Builder optPath(Path path) {
            this.path = path;
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the first invalid setting
         */
        public DepthwiseConv build() {
            if (channels <= 0) {
                throw new IllegalArgumentException(
                        "DepthwiseConv channels must be set and positive, got " + channels);
            }
            if (kernelHeight <= 0 || kernelWidth <= 0) {
                throw new IllegalArgumentException(
                        "DepthwiseConv kernel must be set and positive, got "
                                + kernelHeight
                                + "x"
                                + kernelWidth);
            }
            if (path == null) {
                throw new IllegalArgumentException("DepthwiseConv path must not be null");
            }
            return new DepthwiseConv(this);
        }
    }
}
