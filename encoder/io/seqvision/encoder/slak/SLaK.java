package io.seqvision.encoder.slak;

import io.seqvision.encoder.checkpoint.OfficialCheckpoint;
import io.seqvision.encoder.checkpoint.RenameTable;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;

import io.seqvision.encoder.Encoder;
import io.seqvision.encoder.TrainingHook;
import io.seqvision.encoder.common.ChannelsFirstLayerNorm;
import io.seqvision.encoder.common.DepthwiseConv;
import io.seqvision.encoder.common.HierarchicalEncoder;
import io.seqvision.encoder.common.OfficialWeights;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SLaK (Liu et al., "More ConvNets in the 2020s: Scaling up Kernels Beyond 51x51 using Sparsity",
 * arXiv 2207.03620) as a seqvision {@link Encoder}, following VITA-Group/SLaK {@code
 * models/SLaK.py}: ConvNeXt's macro design with {@link SLaKBlock}s, whose large kernel is
 * decomposed into {@code M x N + N x M + N x N} depthwise branches, stage widths {@code int(dim *
 * widthFactor)}, and {@link DynamicSparsity} for training.
 *
 * <p>Layout: stem (4x4 stride-4 conv with bias, channels-first LayerNorm); per stage {@code i}: for
 * {@code i > 0} downsampling (channels-first LayerNorm, 2x2 stride-2 conv), then {@code depths[i]}
 * blocks with kernel {@code kernels[i]}. Stride {@code 4 * 2^(stages-1)}. Drop path rates rise
 * linearly from 0 over all blocks.
 *
 * <p>{@link #forward}: input {@code (B, 3, H, W)}, H and W multiples of the stride; output {@code
 * (B, dims[last], H/s, W/s)}, the last stage through a channels-first LayerNorm ({@code
 * outputNorm}, as ConvNeXt's encoder here and SLaK's detection backbone normalise their outputs;
 * it is not in the ImageNet checkpoint). {@link #classify} (with {@code optNumClasses(n > 0)}):
 * global average pool, LayerNorm, Linear, as the official classifier.
 *
 * <p>Init as the official code: conv and linear weights normal with std 0.02 (timm's {@code
 * trunc_normal_} cuts at +-2, 100 std away), biases 0, norms (1, 0), layer scale 1e-6.
 */
public final class SLaK extends HierarchicalEncoder implements OfficialCheckpoint {

    /** What {@link #dynamicSparsity} masks. */
    public enum SparsityScope {
        /** The two rectangular branches of every block's decomposed kernel. */
        LARGE_KERNELS,
        /** Every weight of rank 2 or 4 (convs, linears, head): the official SLaK setting. */
        ALL_WEIGHTS
    }

    private static final byte VERSION = 1;
    private static final int STEM_STRIDE = 4;
    private static final int DOWNSAMPLE_STRIDE = 2;

    private final int[] depths;
    private final int[] baseDims;
    private final double widthFactor;
    private final int[] dims;
    private final int[] kernels;
    private final int smallKernelSize;
    private final float dropPathRate;
    private final float layerScaleInit;
    private final int numClasses;
    private final DepthwiseConv.Path path;

    private final List<String> officialPrefixes = new ArrayList<>();
    private final ChannelsFirstLayerNorm outputNorm;
    private final LayerNorm headNorm;
    private final Linear head;

    private SLaK(Builder builder) {
        super(VERSION, "SLaK", STEM_STRIDE << (builder.depths.length - 1));
        depths = builder.depths.clone();
        baseDims = builder.dims.clone();
        widthFactor = builder.widthFactor;
        dims = scaledDims(baseDims, widthFactor);
        kernels = builder.kernels.clone();
        smallKernelSize = builder.smallKernelSize;
        dropPathRate = builder.dropPathRate;
        layerScaleInit = builder.layerScaleInit;
        numClasses = builder.numClasses;
        path = builder.path;

        add("stem_conv", "downsample_layers.0.0", patchConv(dims[0], STEM_STRIDE));
        add("stem_norm", "downsample_layers.0.1", ChannelsFirstLayerNorm.builder().build());
        float[] rates = dropPathRates(dropPathRate, Arrays.stream(depths).sum());
        int blockIndex = 0;
        for (int stage = 0; stage < depths.length; stage++) {
            if (stage > 0) {
                String official = "downsample_layers." + stage + ".";
                add(
                        "downsample" + stage + "_norm",
                        official + 0,
                        ChannelsFirstLayerNorm.builder().build());
                add(
                        "downsample" + stage + "_conv",
                        official + 1,
                        patchConv(dims[stage], DOWNSAMPLE_STRIDE));
            }
            for (int j = 0; j < depths[stage]; j++) {
                add(
                        "stage" + stage + "_block" + j,
                        "stages." + stage + "." + j,
                        SLaKBlock.builder()
                                .setChannels(dims[stage])
                                .setKernelSize(kernels[stage])
                                .optSmallKernelSize(smallKernelSize)
                                .optDropPathRate(rates[blockIndex++])
                                .optLayerScaleInit(layerScaleInit)
                                .optPath(path)
                                .build());
            }
            endStage();
        }
        outputNorm = addChildBlock("outputNorm", ChannelsFirstLayerNorm.builder().build());
        if (numClasses > 0) {
            headNorm =
                    addChildBlock(
                            "norm", LayerNorm.builder().optEpsilon(SLaKBlock.LAYER_NORM_EPS).build());
            head = addChildBlock("head", Linear.builder().setUnits(numClasses).build());
        } else {
            headNorm = null;
            head = null;
        }
        setInitializer(new NormalInitializer(0.02f), Parameter.Type.WEIGHT);
    }

    private void add(String name, String official, Block block) {
        addToFeaturePath(name, block);
        officialPrefixes.add(official);
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public int outputChannels() {
        return dims[dims.length - 1];
    }

    public int[] getDepths() {
        return depths.clone();
    }

    /** Stage widths after the width factor, {@code int(dim * factor)}. */
    public int[] getDims() {
        return dims.clone();
    }

    public int[] getKernels() {
        return kernels.clone();
    }

    public int getSmallKernelSize() {
        return smallKernelSize;
    }

    public int getNumClasses() {
        return numClasses;
    }

    /** The blocks of all stages in order. */
    public List<SLaKBlock> getBlocks() {
        List<SLaKBlock> blocks = new ArrayList<>();
        for (Block block : featurePath()) {
            if (block instanceof SLaKBlock) {
                blocks.add((SLaKBlock) block);
            }
        }
        return Collections.unmodifiableList(blocks);
    }

    /**
     * Our parameters under the official state-dict names ({@code downsample_layers.0.0.weight},
     * {@code stages.2.4.large_kernel.Decom1.conv.weight}, {@code stages.0.0.gamma}, {@code
     * norm.weight}, {@code head.bias}, ...), in model order; {@code outputNorm}, which the
     * official classifier lacks, is not included. The model must be initialised.
     */
    @Override
    public RenameTable checkpointNames() {
        return SLaKWeights.NAMES;
    }

    @Override
    public Map<String, Parameter> officialParameters() {
        if (!isInitialized()) {
            throw new IllegalStateException("initialise the SLaK before mapping its weights");
        }
        Map<String, Parameter> map = new LinkedHashMap<>();
        for (int i = 0; i < featurePath().size(); i++) {
            OfficialWeights.collect(officialPrefixes.get(i) + ".", featurePath().get(i), map);
        }
        if (head != null) {
            OfficialWeights.collect("norm.", headNorm, map);
            OfficialWeights.collect("head.", head, map);
        }
        return map;
    }

    /** SLaK trains with dynamic sparsity: its default options over the rectangular kernels. */
    @Override
    public List<TrainingHook> trainingHooks(long totalSteps) {
        return List.of(dynamicSparsity(DynamicSparsity.Options.builder().setTotalSteps(totalSteps).build()));
    }

    /**
     * Dynamic sparsity over the two rectangular kernels of every block (the brief's default). The
     * model must be initialised; the masks are drawn and applied at once.
     */
    public DynamicSparsity dynamicSparsity(DynamicSparsity.Options options) {
        return dynamicSparsity(options, SparsityScope.LARGE_KERNELS);
    }

    /**
     * Dynamic sparsity over the weights {@code scope} names, keyed by official name. The model
     * must be initialised; the masks are drawn and applied at once.
     */
    public DynamicSparsity dynamicSparsity(DynamicSparsity.Options options, SparsityScope scope) {
        Map<String, Parameter> masked = new LinkedHashMap<>();
        for (Map.Entry<String, Parameter> entry : officialParameters().entrySet()) {
            String name = entry.getKey();
            int rank = entry.getValue().getArray().getShape().dimension();
            boolean take =
                    scope == SparsityScope.ALL_WEIGHTS
                            ? rank == 2 || rank == 4
                            : name.contains(".large_kernel.Decom") && name.endsWith(".conv.weight");
            if (take) {
                masked.put(name, entry.getValue());
            }
        }
        return DynamicSparsity.create(masked, options);
    }

    @Override
    protected boolean hasClassificationHead() {
        return head != null;
    }

    @Override
    protected NDList encodeFeatures(
            ParameterStore parameterStore, NDArray features, boolean training) {
        return outputNorm.forward(parameterStore, new NDList(features), training);
    }

    @Override
    protected NDArray classifyFeatures(
            ParameterStore parameterStore, NDArray features, boolean training) {
        return poolThenApply(parameterStore, features, training, headNorm, head);
    }

    @Override
    protected void initializeHeads(NDManager manager, DataType dataType, Shape featureShape) {
        outputNorm.initialize(manager, dataType, featureShape);
        if (head != null) {
            initializeOnPooled(manager, dataType, featureShape, headNorm, head);
        }
    }

    @Override
    protected String describeArchitecture() {
        return "depths "
                + Arrays.toString(depths)
                + ", dims "
                + Arrays.toString(dims)
                + ", kernels "
                + Arrays.toString(kernels)
                + ", N "
                + smallKernelSize
                + ", layer scale "
                + (layerScaleInit > 0f ? "on" : "off")
                + ", classes "
                + numClasses;
    }

    private static Conv2d patchConv(int filters, int size) {
        return Conv2d.builder()
                .setKernelShape(new Shape(size, size))
                .optStride(new Shape(size, size))
                .setFilters(filters)
                .build();
    }

    /** {@code int(d * factor)} per stage, as the official code widens the stages. */
    static int[] scaledDims(int[] dims, double factor) {
        int[] scaled = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            scaled[i] = (int) (dims[i] * factor);
        }
        return scaled;
    }

    /**
     * Builds a {@link SLaK}. Required: {@link #setDepths}, {@link #setDims}, {@link #setKernels},
     * of equal length {@code >= 1}. Defaults: width factor 1, N = 5, drop path 0, layer scale
     * 1e-6, no head, {@link DepthwiseConv.Path#AUTO}.
     */
    public static final class Builder {
        private int[] depths;
        private int[] dims;
        private int[] kernels;
        private double widthFactor = 1.0;
        private int smallKernelSize = 5;
        private float dropPathRate;
        private float layerScaleInit = 1e-6f;
        private int numClasses;
        private DepthwiseConv.Path path = DepthwiseConv.Path.AUTO;

        private Builder() {}

        public Builder setDepths(int... depths) {
            this.depths = depths.clone();
            return this;
        }

        /** Base widths per stage, before the width factor. */
        public Builder setDims(int... dims) {
            this.dims = dims.clone();
            return this;
        }

        /** The long side M of each stage's decomposed kernels (odd). */
        public Builder setKernels(int... kernels) {
            this.kernels = kernels.clone();
            return this;
        }

        /** Stage widths become {@code int(dim * factor)}; SLaK uses 1.3. */
        public Builder optWidthFactor(double widthFactor) {
            this.widthFactor = widthFactor;
            return this;
        }

        /** N: the short side of the rectangular kernels and the small square kernel (odd). */
        public Builder optSmallKernelSize(int smallKernelSize) {
            this.smallKernelSize = smallKernelSize;
            return this;
        }

        public Builder optDropPathRate(double dropPathRate) {
            this.dropPathRate = (float) dropPathRate;
            return this;
        }

        public Builder optLayerScaleInit(double layerScaleInit) {
            this.layerScaleInit = (float) layerScaleInit;
            return this;
        }

        /** Adds an ImageNet-style head with this many classes; 0 (the default) means none. */
        public Builder optNumClasses(int numClasses) {
            this.numClasses = numClasses;
            return this;
        }

        public Builder optPath(DepthwiseConv.Path path) {
            this.path = path;
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the first invalid setting
         */
        public SLaK build() {
            if (depths == null || dims == null || kernels == null) {
                throw new IllegalArgumentException(
                        "SLaK needs depths, dims and kernels (setDepths, setDims, setKernels)");
            }
            if (depths.length == 0
                    || depths.length != dims.length
                    || depths.length != kernels.length
                    || depths.length > 20) {
                throw new IllegalArgumentException(
                        "SLaK depths, dims and kernels must have the same length in [1, 20], got"
                                + " depths "
                                + Arrays.toString(depths)
                                + ", dims "
                                + Arrays.toString(dims)
                                + " and kernels "
                                + Arrays.toString(kernels));
            }
            if (!(widthFactor > 0) || Double.isInfinite(widthFactor)) {
                throw new IllegalArgumentException(
                        "SLaK width factor must be positive, got " + widthFactor);
            }
            int[] scaled = scaledDims(dims, widthFactor);
            for (int i = 0; i < depths.length; i++) {
                if (depths[i] <= 0 || scaled[i] <= 0) {
                    throw new IllegalArgumentException(
                            "SLaK stage "
                                    + i
                                    + " needs positive depth and width, got depth "
                                    + depths[i]
                                    + " and width "
                                    + scaled[i]);
                }
                if (kernels[i] <= 0 || kernels[i] % 2 == 0) {
                    throw new IllegalArgumentException(
                            "SLaK stage " + i + " kernel must be odd and positive, got " + kernels[i]);
                }
            }
            if (smallKernelSize <= 0 || smallKernelSize % 2 == 0) {
                throw new IllegalArgumentException(
                        "SLaK small kernel N must be odd and positive, got " + smallKernelSize);
            }
            if (!(dropPathRate >= 0f && dropPathRate < 1f)) {
                throw new IllegalArgumentException(
                        "SLaK drop path rate must be in [0, 1), got " + dropPathRate);
            }
            if (numClasses < 0 || path == null) {
                throw new IllegalArgumentException(
                        "SLaK needs classes >= 0 and a path, got " + numClasses + ", " + path);
            }
            return new SLaK(this);
        }
    }
}
