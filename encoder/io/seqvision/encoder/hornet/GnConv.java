package io.seqvision.encoder.hornet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import io.seqvision.encoder.engine.Scalars;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The recursive gated convolution g^n Conv of HorNet (Rao et al., arXiv 2207.14284; {@code gnconv}
 * in raoyongming/HorNet {@code hornet.py}).
 *
 * <p>With {@code dims = [C/2^(n-1), ..., C/2, C]}: {@code proj_in} (1x1 conv, C to 2C, bias) splits
 * into {@code p0} (the first {@code dims[0]} channels) and the bundle {@code q} (the other {@code
 * sum(dims)}); {@code q} goes through the spatial mixer times the scale {@code s} and is split by
 * {@code dims} into {@code q0, ..., q(n-1)}; then {@code p1 = p0 * q0} and {@code p(k+1) =
 * pws_k(pk) * qk} with 1x1 convs {@code pws_k} from {@code dims[k-1]} to {@code dims[k]} channels;
 * the output is {@code proj_out(pn)} (1x1 conv, C to C).
 *
 * <p>Input: {@code (B, C, H, W)}; C must be divisible by {@code 2^(n-1)} (and, with the global
 * filter, {@code sum(dims)} even). Output: the same shape. Children (official names): {@code
 * proj_in}, {@code dwconv} (a depthwise conv with bias over {@code sum(dims)} channels or a {@link
 * GlobalLocalFilter}), {@code pws.0 .. pws.(n-2)}, {@code proj_out}; every conv has a bias.
 */
public final class GnConv extends AbstractBlock {

    /** The scale every official HorNet variant uses. */
    public static final double OFFICIAL_SCALE = 1.0 / 3.0;

    private static final byte VERSION = 1;

    private final int channels;
    private final int order;
    private final int[] dims;
    private final int bundleChannels;
    private final SpatialMixer mixer;
    private final float scale;

    private final Conv2d projIn;
    private final Block dwconv;
    private final List<Conv2d> pws = new ArrayList<>();
    private final Conv2d projOut;

    private GnConv(Builder builder) {
        super(VERSION);
        channels = builder.channels;
        order = builder.order;
        mixer = builder.mixer;
        scale = (float) builder.scale;
        dims = orderDims(channels, order);
        int sum = 0;
        for (int d : dims) {
            sum += d;
        }
        bundleChannels = sum;
        projIn = addChildBlock("proj_in", pointwise(2 * channels));
        if (mixer instanceof SpatialMixer.Depthwise depthwise) {
            int k = depthwise.kernelSize();
            dwconv =
                    addChildBlock(
                            "dwconv",
                            Conv2d.builder()
                                    .setKernelShape(new Shape(k, k))
                                    .optPadding(new Shape((k - 1) / 2, (k - 1) / 2))
                                    .optGroups(bundleChannels)
                                    .setFilters(bundleChannels)
                                    .build());
        } else {
            SpatialMixer.GlobalFilter filter = (SpatialMixer.GlobalFilter) mixer;
            dwconv =
                    addChildBlock(
                            "dwconv",
                            GlobalLocalFilter.builder()
                                    .setChannels(bundleChannels)
                                    .setFilterSize(filter.height(), filter.width())
                                    .build());
        }
        projOut = addChildBlock("proj_out", pointwise(channels));
        for (int i = 0; i < order - 1; i++) {
            pws.add(addChildBlock("pws." + i, pointwise(dims[i + 1])));
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** {@code [C/2^(n-1), ..., C/2, C]}, the channel counts of the gating orders. */
    static int[] orderDims(int channels, int order) {
        int[] dims = new int[order];
        for (int i = 0; i < order; i++) {
            dims[i] = channels >> (order - 1 - i);
        }
        return dims;
    }

    public int getChannels() {
        return channels;
    }

    public int getOrder() {
        return order;
    }

    /** The channel counts of the orders, {@code [C/2^(n-1), ..., C]}. */
    public int[] getDims() {
        return dims.clone();
    }

    public SpatialMixer getMixer() {
        return mixer;
    }

    public float getScale() {
        return scale;
    }

    /** The 1x1 convs {@code pws_0 .. pws_(n-2)} of the recursion. */
    public List<Conv2d> getPointwiseConvs() {
        return Collections.unmodifiableList(pws);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDArray input = inputs.singletonOrThrow();
        checkInput(input.getShape());
        NDArray fused = projIn.forward(parameterStore, inputs, training).singletonOrThrow();
        NDArray gate = fused.get(":, :{}", dims[0]);
        NDArray bundle = fused.get(":, {}:", dims[0]);
        bundle = dwconv.forward(parameterStore, new NDList(bundle), training).singletonOrThrow();
        bundle = Scalars.mul(bundle, scale);
        int start = 0;
        NDArray x = gate.mul(bundle.get(":, {}:{}", start, start + dims[0]));
        start += dims[0];
        for (int i = 0; i < order - 1; i++) {
            x = pws.get(i).forward(parameterStore, new NDList(x), training).singletonOrThrow();
            x = x.mul(bundle.get(":, {}:{}", start, start + dims[i + 1]));
            start += dims[i + 1];
        }
        return projOut.forward(parameterStore, new NDList(x), training);
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
        long b = input.get(0);
        long h = input.get(2);
        long w = input.get(3);
        projIn.initialize(manager, dataType, input);
        dwconv.initialize(manager, dataType, new Shape(b, bundleChannels, h, w));
        for (int i = 0; i < order - 1; i++) {
            pws.get(i).initialize(manager, dataType, new Shape(b, dims[i], h, w));
        }
        projOut.initialize(manager, dataType, input);
    }

    private void checkInput(Shape shape) {
        if (shape.dimension() != 4 || shape.get(1) != channels) {
            throw new IllegalArgumentException(
                    "GnConv with "
                            + channels
                            + " channels expects input (B, "
                            + channels
                            + ", H, W), got shape "
                            + shape);
        }
    }

    private static Conv2d pointwise(int filters) {
        return Conv2d.builder().setKernelShape(new Shape(1, 1)).setFilters(filters).build();
    }

    /**
     * Builds a {@link GnConv}. Required: {@link #setChannels} and {@link #setOrder}. Defaults: the
     * 7x7 depthwise mixer, scale {@link #OFFICIAL_SCALE}.
     */
    public static final class Builder {
        private int channels;
        private int order;
        private SpatialMixer mixer = SpatialMixer.depthwise7x7();
        private double scale = OFFICIAL_SCALE;

        private Builder() {}

        public Builder setChannels(int channels) {
            this.channels = channels;
            return this;
        }

        /** The order n >= 1 of the recursion. */
        public Builder setOrder(int order) {
            this.order = order;
            return this;
        }

        public Builder optMixer(SpatialMixer mixer) {
            this.mixer = mixer;
            return this;
        }

        /** The factor {@code s} applied to the mixed bundle. */
        public Builder optScale(double scale) {
            this.scale = scale;
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the first invalid setting
         */
        public GnConv build() {
            checkConfiguration(channels, order, mixer);
            if (!Double.isFinite(scale)) {
                throw new IllegalArgumentException("GnConv scale must be finite, got " + scale);
            }
            return new GnConv(this);
        }
    }

    /** Validates a gnConv configuration, naming the problem. */
    static void checkConfiguration(int channels, int order, SpatialMixer mixer) {
        if (order < 1 || order > 30) {
            throw new IllegalArgumentException("GnConv order must be in [1, 30], got " + order);
        }
        if (channels <= 0 || channels % (1 << (order - 1)) != 0) {
            throw new IllegalArgumentException(
                    "GnConv channels must be a positive multiple of 2^(order-1) = "
                            + (1 << (order - 1))
                            + ", got "
                            + channels
                            + " for order "
                            + order);
        }
        if (mixer == null) {
            throw new IllegalArgumentException("GnConv spatial mixer must not be null");
        }
        int bundle = 2 * channels - (channels >> (order - 1));
        if (mixer instanceof SpatialMixer.GlobalFilter && bundle % 2 != 0) {
            throw new IllegalArgumentException(
                    "GnConv with the global filter needs an even bundle, but channels "
                            + channels
                            + " at order "
                            + order
                            + " give "
                            + bundle);
        }
    }
}
