package io.seqvision.encoder.replknet;

import io.seqvision.encoder.checkpoint.OfficialCheckpoint;
import io.seqvision.encoder.checkpoint.RenameTable;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.UniformInitializer;
import ai.djl.util.Pair;
import ai.djl.util.PairList;

import io.seqvision.encoder.Encoder;
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
 * RepLKNet (Ding et al., "Scaling Up Your Kernels to 31x31", arXiv 2203.06717) as a seqvision
 * {@link Encoder}, following DingXiaoH/RepLKNet-pytorch {@code replknet.py}.
 *
 * <p>Layout: a stem of four conv + BN + ReLU units (3x3 stride 2 to {@code channels[0]}; depthwise
 * 3x3; 1x1; depthwise 3x3 stride 2); then per stage {@code i} {@code layers[i]} pairs of {@link
 * RepLKBlock} (kernel {@code kernels[i]}) and {@link ConvFFN}; between stages a transition (1x1
 * conv + BN + ReLU to {@code channels[i+1]}, depthwise 3x3 stride 2 + BN + ReLU). Stride {@code 4 *
 * 2^(stages-1)}. Drop path rates rise linearly from 0 to the configured rate over the pairs; both
 * blocks of a pair share one rate, as in the official code.
 *
 * <p>{@link #forward}: input {@code (B, 3, H, W)}, H and W multiples of the stride; output {@code
 * (B, channels[last], H/s, W/s)}, the last stage's features as the official backbone returns them
 * (no output norm). {@link #classify} (with {@code optNumClasses(n > 0)}): BN, global average pool,
 * Linear to {@code (B, n)}, as the official ImageNet model.
 *
 * <p>Init: PyTorch defaults, as the official code keeps them (conv and linear weights uniform in
 * {@code +-1/sqrt(fanIn)}, BN (1, 0), running statistics (0, 1)). {@link #reparameterize} turns a
 * trained model into the merged inference form.
 */
public final class RepLKNet extends HierarchicalEncoder implements OfficialCheckpoint {

    private static final byte VERSION = 1;
    private static final int STEM_STRIDE = 4;

    private final int[] kernels;
    private final int[] layers;
    private final int[] channels;
    private final int smallKernelSize;
    private final float dropPathRate;
    private final int ffnRatio;
    private final int numClasses;
    private final double dwRatio;
    private final boolean merged;
    private final DepthwiseConv.Path path;


    /** Official state-dict prefix of each block in {@link #featurePath()}. */
    private final List<String> officialPrefixes = new ArrayList<>();

    private final BatchNorm headNorm;
    private final Linear head;

    private RepLKNet(Builder builder) {
        super(VERSION, "RepLKNet", STEM_STRIDE << (builder.layers.length - 1));
        kernels = builder.kernels.clone();
        layers = builder.layers.clone();
        channels = builder.channels.clone();
        smallKernelSize = builder.smallKernelSize;
        dropPathRate = builder.dropPathRate;
        ffnRatio = builder.ffnRatio;
        numClasses = builder.numClasses;
        dwRatio = builder.dwRatio;
        merged = builder.merged;
        path = builder.path;

        int base = channels[0];
        add("stem0", "stem.0", Layers.convBn(base, 3, 2, 1, true));
        add("stem1", "stem.1", Layers.convBn(base, 3, 1, base, true));
        add("stem2", "stem.2", Layers.convBn(base, 1, 1, 1, true));
        add("stem3", "stem.3", Layers.convBn(base, 3, 2, base, true));
        float[] rates = dropPathRates(dropPathRate, Arrays.stream(layers).sum());
        int pair = 0;
        for (int stage = 0; stage < layers.length; stage++) {
            int c = channels[stage];
            for (int j = 0; j < layers[stage]; j++) {
                float rate = rates[pair++];
                String official = "stages." + stage + ".blocks.";
                add(
                        "stage" + stage + "_lk" + j,
                        official + (2 * j),
                        RepLKBlock.builder()
                                .setChannels(c)
                                .optDwChannels((int) (c * dwRatio))
                                .setKernelSize(kernels[stage])
                                .optSmallKernelSize(smallKernelSize)
                                .optDropPathRate(rate)
                                .optMerged(merged)
                                .optPath(path)
                                .build());
                add(
                        "stage" + stage + "_ffn" + j,
                        official + (2 * j + 1),
                        new ConvFFN(c, ffnRatio * c, rate));
            }
            endStage();
            if (stage < layers.length - 1) {
                int next = channels[stage + 1];
                String official = "transitions." + stage + ".";
                add("transition" + stage + "_pw", official + 0, Layers.convBn(next, 1, 1, 1, true));
                add(
                        "transition" + stage + "_dw",
                        official + 1,
                        Layers.convBn(next, 3, 2, next, true));
            }
        }
        if (numClasses > 0) {
            int last = channels[channels.length - 1];
            headNorm = addChildBlock("norm", Layers.batchNorm());
            head = addChildBlock("head", Linear.builder().setUnits(numClasses).build());
            head.setInitializer(
                    new UniformInitializer((float) (1 / Math.sqrt(last))), Parameter.Type.BIAS);
        } else {
            headNorm = null;
            head = null;
        }
        setInitializer(TorchDefaultInitializer.INSTANCE, Parameter.Type.WEIGHT);
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
        return channels[channels.length - 1];
    }

    public int[] getKernels() {
        return kernels.clone();
    }

    public int[] getLayers() {
        return layers.clone();
    }

    public int[] getChannels() {
        return channels.clone();
    }

    public int getNumClasses() {
        return numClasses;
    }

    /** Whether the large kernels are in the merged (inference) form. */
    public boolean isMerged() {
        return merged;
    }

    /** The large-kernel blocks of all stages in order. */
    public List<RepLKBlock> getLargeKernelBlocks() {
        List<RepLKBlock> blocks = new ArrayList<>();
        for (Block block : featurePath()) {
            if (block instanceof RepLKBlock) {
                blocks.add((RepLKBlock) block);
            }
        }
        return Collections.unmodifiableList(blocks);
    }

    /** The FFN blocks of all stages in order. */
    public List<ConvFFN> getFfnBlocks() {
        List<ConvFFN> blocks = new ArrayList<>();
        for (Block block : featurePath()) {
            if (block instanceof ConvFFN) {
                blocks.add((ConvFFN) block);
            }
        }
        return Collections.unmodifiableList(blocks);
    }

    /**
     * The merged inference form of this trained model: a new, initialised RepLKNet of the same
     * configuration whose large-kernel convs are single {@code K x K} depthwise convs with bias
     * (each BN folded into its conv, the small kernel zero-padded and added), every other parameter
     * copied. Its inference outputs equal this model's inference outputs to float rounding; in
     * training the two differ (batch statistics). Parameters live in {@code manager}.
     *
     * @throws IllegalStateException if this model is already merged or not initialised
     */
    public RepLKNet reparameterize(NDManager manager) {
        if (merged) {
            throw new IllegalStateException("this RepLKNet is already merged");
        }
        if (!isInitialized()) {
            throw new IllegalStateException("initialise the RepLKNet before reparameterising it");
        }
        RepLKNet target = toBuilder().optMerged(true).build();
        target.initialize(manager, DataType.FLOAT32, getInputShapes());
        PairList<String, Parameter> sourceParameters = getParameters();
        for (Pair<String, Parameter> pair : target.getParameters()) {
            Parameter source = sourceParameters.get(pair.getKey());
            if (source != null) {
                pair.getValue().getArray().set(source.getArray().toFloatArray());
            }
        }
        List<RepLKBlock> from = getLargeKernelBlocks();
        List<RepLKBlock> to = target.getLargeKernelBlocks();
        for (int i = 0; i < from.size(); i++) {
            to.get(i).getLargeKernel().mergeFrom(from.get(i).getLargeKernel());
        }
        return target;
    }

    /**
     * Our parameters under the official state-dict names ({@code stem.0.conv.weight}, {@code
     * stages.2.blocks.5.large_kernel.small_conv.bn.running_var}, {@code head.bias}, ...), in
     * model order. The model must be initialised.
     */
    @Override
    public RenameTable checkpointNames() {
        return RepLKNetWeights.NAMES;
    }

    @Override
    public Map<String, Parameter> officialParameters() {
        if (!isInitialized()) {
            throw new IllegalStateException("initialise the RepLKNet before mapping its weights");
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

    private Builder toBuilder() {
        return builder()
                .setKernels(kernels)
                .setLayers(layers)
                .setChannels(channels)
                .optSmallKernelSize(smallKernelSize)
                .optDropPathRate(dropPathRate)
                .optFfnRatio(ffnRatio)
                .optNumClasses(numClasses)
                .optDwRatio(dwRatio)
                .optMerged(merged)
                .optPath(path);
    }

    @Override
    protected boolean hasClassificationHead() {
        return head != null;
    }

    @Override
    protected NDList encodeFeatures(
            ParameterStore parameterStore, NDArray features, boolean training) {
        return new NDList(features);
    }

    @Override
    protected NDArray classifyFeatures(
            ParameterStore parameterStore, NDArray features, boolean training) {
        NDArray x = headNorm.forward(parameterStore, new NDList(features), training).singletonOrThrow();
        NDList pooled = new NDList(globalAveragePool(x));
        return head.forward(parameterStore, pooled, training).singletonOrThrow();
    }

    @Override
    protected void initializeHeads(NDManager manager, DataType dataType, Shape featureShape) {
        if (head != null) {
            headNorm.initialize(manager, dataType, featureShape);
            head.initialize(manager, dataType, new Shape(featureShape.get(0), featureShape.get(1)));
        }
    }

    @Override
    protected String describeArchitecture() {
        return "kernels "
                + Arrays.toString(kernels)
                + ", layers "
                + Arrays.toString(layers)
                + ", channels "
                + Arrays.toString(channels)
                + ", small kernel "
                + smallKernelSize
                + ", ffn ratio "
                + ffnRatio
                + ", classes "
                + numClasses
                + (dwRatio == 1 ? "" : ", dw ratio " + dwRatio)
                + (merged ? ", merged" : ", unmerged");
    }

    static void checkDropPathRate(float rate) {
        if (!(rate >= 0f && rate < 1f)) {
            throw new IllegalArgumentException(
                    "RepLKNet drop path rate must be in [0, 1), got " + rate);
        }
    }

    /**
     * Builds a {@link RepLKNet}. Required: {@link #setKernels}, {@link #setLayers}, {@link
     * #setChannels}, of equal length {@code >= 1}. Defaults: small kernel 5, FFN ratio 4, drop
     * path 0, no head, training form, {@link DepthwiseConv.Path#AUTO}.
     */
    public static final class Builder {
        private int[] kernels;
        private int[] layers;
        private int[] channels;
        private int smallKernelSize = 5;
        private float dropPathRate;
        private int ffnRatio = 4;
        private int numClasses;
        private double dwRatio = 1;
        private boolean merged;
        private DepthwiseConv.Path path = DepthwiseConv.Path.AUTO;

        private Builder() {}

        /** Large kernel size per stage (odd). */
        public Builder setKernels(int... kernels) {
            this.kernels = kernels.clone();
            return this;
        }

        /** [RepLKBlock, ConvFFN] pairs per stage. */
        public Builder setLayers(int... layers) {
            this.layers = layers.clone();
            return this;
        }

        /** Channels per stage. */
        public Builder setChannels(int... channels) {
            this.channels = channels.clone();
            return this;
        }

        /** The parallel small kernel (odd, at most every stage's kernel), or 0 for none. */
        public Builder optSmallKernelSize(int smallKernelSize) {
            this.smallKernelSize = smallKernelSize;
            return this;
        }

        /** Drop path rate of the last pair; earlier pairs get linearly smaller rates. */
        public Builder optDropPathRate(double dropPathRate) {
            this.dropPathRate = (float) dropPathRate;
            return this;
        }

        public Builder optFfnRatio(int ffnRatio) {
            this.ffnRatio = ffnRatio;
            return this;
        }

        /** Adds an ImageNet-style head with this many classes; 0 (the default) means none. */
        public Builder optNumClasses(int numClasses) {
            this.numClasses = numClasses;
            return this;
        }

        /**
         * Width of each block's depthwise part over its channels, {@code int(channels * ratio)} as
         * the official {@code dw_ratio} (1 for RepLKNet-31B, 1.5 for 31L and XL).
         */
        public Builder optDwRatio(double dwRatio) {
            this.dwRatio = dwRatio;
            return this;
        }

        /** Builds the merged (inference) form; fill it with {@link RepLKNet#reparameterize}. */
        public Builder optMerged(boolean merged) {
            this.merged = merged;
            return this;
        }

        /** How the large kernels are computed. */
        public Builder optPath(DepthwiseConv.Path path) {
            this.path = path;
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the first invalid setting
         */
        public RepLKNet build() {
            if (kernels == null || layers == null || channels == null) {
                throw new IllegalArgumentException(
                        "RepLKNet needs kernels, layers and channels (setKernels, setLayers,"
                                + " setChannels)");
            }
            if (layers.length == 0
                    || layers.length != channels.length
                    || layers.length != kernels.length
                    || layers.length > 20) {
                throw new IllegalArgumentException(
                        "RepLKNet kernels, layers and channels must have the same length in [1,"
                                + " 20], got kernels "
                                + Arrays.toString(kernels)
                                + ", layers "
                                + Arrays.toString(layers)
                                + " and channels "
                                + Arrays.toString(channels));
            }
            for (int i = 0; i < layers.length; i++) {
                if (layers[i] <= 0 || channels[i] <= 0) {
                    throw new IllegalArgumentException(
                            "RepLKNet stage "
                                    + i
                                    + " needs positive layers and channels, got "
                                    + layers[i]
                                    + " and "
                                    + channels[i]);
                }
                if (kernels[i] <= 0 || kernels[i] % 2 == 0 || kernels[i] < smallKernelSize) {
                    throw new IllegalArgumentException(
                            "RepLKNet stage "
                                    + i
                                    + " kernel must be odd and at least the small kernel "
                                    + smallKernelSize
                                    + ", got "
                                    + kernels[i]);
                }
            }
            if (smallKernelSize < 0 || (smallKernelSize > 0 && smallKernelSize % 2 == 0)) {
                throw new IllegalArgumentException(
                        "RepLKNet small kernel must be 0 or odd, got " + smallKernelSize);
            }
            checkDropPathRate(dropPathRate);
            if (!(dwRatio > 0) || Arrays.stream(channels).anyMatch(c -> (int) (c * dwRatio) <= 0)) {
                throw new IllegalArgumentException(
                        "RepLKNet dw ratio must give every stage a positive depthwise width, got "
                                + dwRatio);
            }
            if (ffnRatio <= 0 || numClasses < 0 || path == null) {
                throw new IllegalArgumentException(
                        "RepLKNet needs ffn ratio > 0, classes >= 0 and a path, got "
                                + ffnRatio
                                + ", "
                                + numClasses
                                + ", "
                                + path);
            }
            return new RepLKNet(this);
        }
    }
}
