package io.seqvision.encoder.hornet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;

import io.seqvision.encoder.common.ChannelsFirstLayerNorm;

/**
 * HorNet's global-local filter ({@code GlobalLocalFilter} in raoyongming/HorNet {@code hornet.py}):
 * after a channels-first LayerNorm, the first half of the channels goes through a 3x3 depthwise
 * conv (no bias) and the second half through a learnable filter in the 2-D Fourier domain, {@code
 * irfft2(rfft2(x) * W)}; the halves are interleaved channel by channel ({@code a0, b0, a1, b1,
 * ...}, as the official {@code cat(dim=2).reshape}) and normalised again.
 *
 * <p>The filter {@code W} is complex, stored as {@code complex_weight (C/2, h, w, 2)} (real,
 * imaginary). For an {@code H x W} input the spectrum has {@code H x (W/2+1)} frequencies; when
 * that differs from {@code h x w}, the stored filter is resized to it by bilinear interpolation
 * with aligned corners (as the official code does with {@code F.interpolate}). The official code
 * uses the "ortho" norm for both transforms; their scales cancel, so the engine's default norms
 * give the same result.
 *
 * <p>Input: {@code (B, C, H, W)}, C even. Output: the same shape. Children and parameters (official
 * names): {@code pre_norm}, {@code post_norm} (C each); {@code dw} weight {@code (C/2, 1, 3, 3)};
 * {@code complex_weight} {@code (C/2, h, w, 2)}, initialised normal with std 0.02.
 */
public final class GlobalLocalFilter extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int channels;
    private final int filterHeight;
    private final int filterWidth;

    private final ChannelsFirstLayerNorm preNorm;
    private final Conv2d dw;
    private final Parameter complexWeight;
    private final ChannelsFirstLayerNorm postNorm;

    private GlobalLocalFilter(Builder builder) {
        super(VERSION);
        channels = builder.channels;
        filterHeight = builder.filterHeight;
        filterWidth = builder.filterWidth;
        int half = channels / 2;
        dw =
                addChildBlock(
                        "dw",
                        Conv2d.builder()
                                .setKernelShape(new Shape(3, 3))
                                .optPadding(new Shape(1, 1))
                                .optGroups(half)
                                .setFilters(half)
                                .optBias(false)
                                .build());
        complexWeight =
                addParameter(
                        Parameter.builder()
                                .setName("complex_weight")
                                .setType(Parameter.Type.OTHER)
                                .optShape(new Shape(half, filterHeight, filterWidth, 2))
                                .optInitializer(new NormalInitializer(0.02f))
                                .build());
        preNorm = addChildBlock("pre_norm", ChannelsFirstLayerNorm.builder().build());
        postNorm = addChildBlock("post_norm", ChannelsFirstLayerNorm.builder().build());
    }

    public static Builder builder() {
        return new Builder();
    }

    public int getChannels() {
        return channels;
    }

    public int getFilterHeight() {
        return filterHeight;
    }

    public int getFilterWidth() {
        return filterWidth;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDArray input = inputs.singletonOrThrow();
        checkInput(input.getShape());
        Shape shape = input.getShape();
        int half = channels / 2;
        NDArray x = preNorm.forward(parameterStore, inputs, training).singletonOrThrow();
        NDArray local = x.get(":, :{}", half);
        local = dw.forward(parameterStore, new NDList(local), training).singletonOrThrow();
        NDArray weight = parameterStore.getValue(complexWeight, input.getDevice(), training);
        NDArray global = filterSpectrally(x.get(":, {}:", half), weight);
        NDArray interleaved =
                NDArrays.stack(new NDList(local, global), 2)
                        .reshape(shape.get(0), channels, shape.get(2), shape.get(3));
        return postNorm.forward(parameterStore, new NDList(interleaved), training);
    }

    /**
     * {@code irfft2(rfft2(x) * W)} over the last two axes of {@code x (B, C, H, W)}, with {@code W}
     * given as {@code weight (C, h, w, 2)} (real, imaginary) and resized to {@code (H, W/2+1)} when
     * its size differs. Differentiable in {@code x} and {@code weight}.
     */
    static NDArray filterSpectrally(NDArray x, NDArray weight) {
        long height = x.getShape().get(2);
        long width = x.getShape().get(3);
        NDArray parts = resize(weight.transpose(0, 3, 1, 2), height, width / 2 + 1);
        NDManager manager = x.getManager();
        // The engine cannot differentiate view_as_complex, but it can a real times a complex
        // constant: W = re * 1 + im * i. The constants need a shape: scalar ones break the FFT.
        NDArray one = manager.create(new float[] {1f, 0f}, new Shape(1, 2)).complex();
        NDArray imaginaryUnit = manager.create(new float[] {0f, 1f}, new Shape(1, 2)).complex();
        NDArray filter = parts.get(":, 0").mul(one).add(parts.get(":, 1").mul(imaginaryUnit));
        NDArray spectrum = x.rfft(width, 3).fft(height, 2);
        return spectrum.mul(filter).ifft(height, 2).irfft(width, 3);
    }

    /** Bilinear resize with aligned corners of the last two axes of {@code (C, 2, h, w)}. */
    private static NDArray resize(NDArray filter, long height, long width) {
        Shape shape = filter.getShape();
        if (shape.get(2) == height && shape.get(3) == width) {
            return filter;
        }
        NDManager manager = filter.getManager();
        NDArray rows = manager.create(alignedCornersWeights(height, shape.get(2)));
        NDArray columns = manager.create(alignedCornersWeights(width, shape.get(3)));
        return rows.matMul(filter).matMul(columns.transpose());
    }

    /**
     * The {@code (out, in)} matrix of 1-D linear interpolation with aligned corners: output {@code
     * i} reads input position {@code i * (in-1) / (out-1)} (0 when {@code out == 1}).
     */
    static float[][] alignedCornersWeights(long out, long in) {
        float[][] weights = new float[Math.toIntExact(out)][Math.toIntExact(in)];
        for (int i = 0; i < out; i++) {
            double position = out == 1 ? 0 : (double) i * (in - 1) / (out - 1);
            int low = (int) Math.floor(position);
            int high = Math.min(low + 1, Math.toIntExact(in) - 1);
            double fraction = position - low;
            weights[i][low] += (float) (1 - fraction);
            weights[i][high] += (float) fraction;
        }
        return weights;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void beforeInitialize(Shape... inputShapes) {
        checkInput(inputShapes[0]);
        super.beforeInitialize(inputShapes);
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape input = inputShapes[0];
        Shape half = new Shape(input.get(0), channels / 2, input.get(2), input.get(3));
        preNorm.initialize(manager, dataType, input);
        dw.initialize(manager, dataType, half);
        postNorm.initialize(manager, dataType, input);
    }

    private void checkInput(Shape shape) {
        if (shape.dimension() != 4 || shape.get(1) != channels) {
            throw new IllegalArgumentException(
                    "GlobalLocalFilter with "
                            + channels
                            + " channels expects input (B, "
                            + channels
                            + ", H, W), got shape "
                            + shape);
        }
    }

    /**
     * Builds a {@link GlobalLocalFilter}. Required: {@link #setChannels} (even) and {@link
     * #setFilterSize}.
     */
    public static final class Builder {
        private int channels;
        private int filterHeight;
        private int filterWidth;

        private Builder() {}

        public Builder setChannels(int channels) {
            this.channels = channels;
            return this;
        }

        /** The stored filter's size in frequencies, {@code h x w}. */
        public Builder setFilterSize(int height, int width) {
            this.filterHeight = height;
            this.filterWidth = width;
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the first invalid setting
         */
        public GlobalLocalFilter build() {
            if (channels <= 0 || channels % 2 != 0) {
                throw new IllegalArgumentException(
                        "GlobalLocalFilter channels must be even and positive, got " + channels);
            }
            if (filterHeight <= 0 || filterWidth <= 0) {
                throw new IllegalArgumentException(
                        "GlobalLocalFilter filter size must be set and positive, got "
                                + filterHeight
                                + "x"
                                + filterWidth);
            }
            return new GlobalLocalFilter(this);
        }
    }
}
