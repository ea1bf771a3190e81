package io.seqvision.encoder.pelk;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;

import io.seqvision.encoder.common.DepthwiseConv;

/**
 * PeLK's partial peripheral convolution (arXiv 2403.07589, section 3): the first {@code Cp} of the
 * {@code C} channels go through a depthwise peripheral convolution, the other channels pass
 * unchanged, and the two parts are concatenated in that order.
 *
 * <p>The peripheral conv's dense {@code K x K} kernel {@code w} is generated from a {@code (Cp, 1,
 * K', K')} parameter kernel by the {@link SharingGrid}. The kernel-wise positional embedding {@code
 * h (Cp, 1, K, K)}, which the enclosing {@link PeLKStage} shares among its blocks, is added to the
 * input window as in the paper (eq. 4), not to the kernel: {@code y(p, q) = sum_{i,j} w(i, j) *
 * (x(p+i, q+j) + h(i, j))}. The paper leaves open whether {@code h} is also added where the window
 * lies on zero padding; here it is not: a padded position contributes nothing. Otherwise the
 * embedding term would be {@code sum(w * h)} at every pixel, a pure per-channel bias carrying no
 * position information. With that choice {@code y = conv(x, w) + conv(V, w * h)}, {@code V} an
 * all-ones {@code H x W} map zero-padded like {@code x}: the second term is the constant {@code
 * sum(w * h)} per channel in the image interior and depends on position only near the borders. It
 * is computed once on a single ones map and broadcast over the batch. Both convs run with stride
 * 1, padding {@code K/2} and no bias ({@link DepthwiseConv#convolve}, directly or through FFTs, on
 * the same path), followed by BatchNorm as in SLaK's large-kernel branches. With {@code
 * optSmallKernelSize(s > 0)}, a parallel {@code s x s} depthwise conv (no bias) with its own
 * BatchNorm is added on the same channels, SLaK's small kernel; PeLK's fine-grained kernel centre
 * makes it optional, and it is off by default.
 *
 * <p>Input: {@code x (B, C, H, W)} and, unless the stage has none, the embedding {@code (Cp, 1, K,
 * K)}. Output: {@code (B, C, H, W)}. Parameters: {@code weight (Cp, 1, K', K')} (normal, std 0.02),
 * {@code bn} ({@code Cp}), and with a small kernel {@code small_conv} {@code (Cp, 1, s, s)} and
 * {@code small_bn}.
 */
public final class PartialPeripheralConv extends AbstractBlock {

    private static final byte VERSION = 1;
    private static final float BATCH_NORM_EPS = 1e-5f;

    private final int channels;
    private final int convChannels;
    private final SharingGrid grid;
    private final int smallKernelSize;
    private final DepthwiseConv.Path path;

    private final Parameter weight;
    private final BatchNorm bn;
    private final Conv2d smallConv;
    private final BatchNorm smallBn;

    private PartialPeripheralConv(Builder builder) {
        super(VERSION);
        channels = builder.channels;
        convChannels = builder.convChannels;
        grid = SharingGrid.of(builder.kernelSize, builder.centreSize);
        smallKernelSize = builder.smallKernelSize;
        path = builder.path;
        int cells = grid.getParameterSize();
        weight =
                addParameter(
                        Parameter.builder()
                                .setName("weight")
                                .setType(Parameter.Type.WEIGHT)
                                .optShape(new Shape(convChannels, 1, cells, cells))
                                .optInitializer(new NormalInitializer(0.02f))
                                .build());
        bn = addChildBlock("bn", BatchNorm.builder().optEpsilon(BATCH_NORM_EPS).build());
        if (smallKernelSize > 0) {
            int pad = smallKernelSize / 2;
            smallConv =
                    addChildBlock(
                            "small_conv",
                            Conv2d.builder()
                                    .setKernelShape(new Shape(smallKernelSize, smallKernelSize))
                                    .optPadding(new Shape(pad, pad))
                                    .optGroups(convChannels)
                                    .setFilters(convChannels)
                                    .optBias(false)
                                    .build());
            smallBn =
                    addChildBlock(
                            "small_bn", BatchNorm.builder().optEpsilon(BATCH_NORM_EPS).build());
        } else {
            smallConv = null;
            smallBn = null;
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public int getChannels() {
        return channels;
    }

    /** {@code Cp}, the channels that pass the peripheral conv (the first ones). */
    public int getConvChannels() {
        return convChannels;
    }

    public SharingGrid getGrid() {
        return grid;
    }

    public int getSmallKernelSize() {
        return smallKernelSize;
    }

    /** The parameter kernel {@code (Cp, 1, K', K')}. */
    public Parameter getWeight() {
        return weight;
    }

    /** The dense {@code (Cp, 1, K, K)} kernel: the parameters expanded by the sharing grid. */
    public NDArray denseKernel(NDArray parameters) {
        return grid.expand(parameters);
    }

    /**
     * What the positional embedding adds to the conv output for an {@code height x width} input:
     * {@code conv(V, kernel * embedding)} with {@code V} an all-ones map, zero-padded, so entries of
     * the embedding that fall on padding contribute nothing. Shape {@code (1, Cp, height, width)},
     * to be broadcast over the batch; its arrays belong to {@code manager}.
     */
    public NDArray embeddingResponse(
            NDManager manager, NDArray kernel, NDArray embedding, long height, long width) {
        NDArray ones = manager.ones(new Shape(1, convChannels, height, width), kernel.getDataType());
        NDArray weighted = kernel.mul(embedding);
        // off the kernel's manager, which may be the parameters' one and live as long as the model
        weighted.attach(manager);
        return DepthwiseConv.convolve(ones, weighted, null, path);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        checkInput(x.getShape());
        NDArray embedding = inputs.size() > 1 ? inputs.get(1) : null;
        checkEmbedding(embedding);
        NDArray convolved = convChannels == channels ? x : x.get(":, :{}", convChannels);
        NDArray w = parameterStore.getValue(weight, x.getDevice(), training);
        NDArray kernel = grid.expand(w, x.getManager());
        NDArray y = DepthwiseConv.convolve(convolved, kernel, null, path);
        if (embedding != null) {
            Shape shape = x.getShape();
            y =
                    y.add(
                            embeddingResponse(
                                    x.getManager(), kernel, embedding, shape.get(2), shape.get(3)));
        }
        y = bn.forward(parameterStore, new NDList(y), training).singletonOrThrow();
        if (smallConv != null) {
            NDArray small =
                    smallConv
                            .forward(parameterStore, new NDList(convolved), training)
                            .singletonOrThrow();
            y =
                    y.add(
                            smallBn.forward(parameterStore, new NDList(small), training)
                                    .singletonOrThrow());
        }
        if (convChannels == channels) {
            return new NDList(y);
        }
        return new NDList(NDArrays.concat(new NDList(y, x.get(":, {}:", convChannels)), 1));
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
        Shape convolved = new Shape(input.get(0), convChannels, input.get(2), input.get(3));
        bn.initialize(manager, dataType, convolved);
        if (smallConv != null) {
            smallConv.initialize(manager, dataType, convolved);
            smallBn.initialize(manager, dataType, convolved);
        }
    }

    private void checkInput(Shape shape) {
        if (shape.dimension() != 4 || shape.get(1) != channels) {
            throw new IllegalArgumentException(
                    "PartialPeripheralConv with "
                            + channels
                            + " channels expects input (B, "
                            + channels
                            + ", H, W), got shape "
                            + shape);
        }
    }

    private void checkEmbedding(NDArray embedding) {
        int k = grid.getKernelSize();
        if (embedding != null && !embedding.getShape().equals(new Shape(convChannels, 1, k, k))) {
            throw new IllegalArgumentException(
                    "PartialPeripheralConv expects a positional embedding ("
                            + convChannels
                            + ", 1, "
                            + k
                            + ", "
                            + k
                            + "), got "
                            + embedding.getShape());
        }
    }

    /**
     * Builds a {@link PartialPeripheralConv}. Required: {@link #setChannels}, {@link
     * #setConvChannels} (1 to C) and {@link #setKernelSize} (odd). Defaults: a 5x5 fine-grained
     * centre, no small kernel, {@link DepthwiseConv.Path#AUTO}.
     */
    public static final class Builder {
        private int channels;
        private int convChannels;
        private int kernelSize;
        private int centreSize = 5;
        private int smallKernelSize;
        private DepthwiseConv.Path path = DepthwiseConv.Path.AUTO;

        private Builder() {}

        public Builder setChannels(int channels) {
            this.channels = channels;
            return this;
        }

        /** How many of the first channels pass the peripheral conv. */
        public Builder setConvChannels(int convChannels) {
            this.convChannels = convChannels;
            return this;
        }

        public Builder setKernelSize(int kernelSize) {
            this.kernelSize = kernelSize;
            return this;
        }

        /** The side of the fine-grained centre (odd): 5 for PeLK-T/S/B, 7 for PeLK-101. */
        public Builder optCentreSize(int centreSize) {
            this.centreSize = centreSize;
            return this;
        }

        /** A parallel {@code s x s} depthwise conv + BatchNorm (odd s); 0 for none. */
        public Builder optSmallKernelSize(int smallKernelSize) {
            this.smallKernelSize = smallKernelSize;
            return this;
        }

        public Builder optPath(DepthwiseConv.Path path) {
            this.path = path;
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the first invalid setting
         */
        public PartialPeripheralConv build() {
            if (channels <= 0 || convChannels <= 0 || convChannels > channels) {
                throw new IllegalArgumentException(
                        "PartialPeripheralConv needs 1 <= convChannels <= channels, got "
                                + convChannels
                                + " of "
                                + channels);
            }
            SharingGrid.of(kernelSize, centreSize);
            if (smallKernelSize < 0 || (smallKernelSize > 0 && smallKernelSize % 2 == 0)) {
                throw new IllegalArgumentException(
                        "PartialPeripheralConv small kernel must be 0 or odd, got "
                                + smallKernelSize);
            }
            if (path == null) {
                throw new IllegalArgumentException("PartialPeripheralConv path must not be null");
            }
            return new PartialPeripheralConv(this);
        }
    }
}
