package io.seqvision.encoder.internimage;

import io.seqvision.encoder.checkpoint.OfficialCheckpoint;
import io.seqvision.encoder.checkpoint.RenameTable;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.training.initializer.UniformInitializer;

import io.seqvision.encoder.Encoder;
import io.seqvision.encoder.common.HierarchicalEncoder;
import io.seqvision.encoder.common.OfficialWeights;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * InternImage (Wang et al., "InternImage: Exploring Large-Scale Vision Foundation Models with
 * Deformable Convolutions", arXiv 2211.05778) as a seqvision {@link Encoder}, following
 * OpenGVLab/InternImage {@code classification/models/intern_image.py} with the DCNv3 core op.
 *
 * <p>Layout (channels-last inside): {@link StemLayer} (two 3x3 stride-2 convs, stride 4); per level
 * {@code i} with {@code C_i = channels * 2^i}: {@code depths[i]} {@link InternImageLayer}s with
 * {@code groups[i]} DCNv3 groups, then (pre-norm models) a LayerNorm, then, except after the last
 * level, a {@link DownsampleLayer} to {@code 2 C_i}. Stride {@code 4 * 2^(levels-1)}. Drop path
 * rates rise linearly from 0 over all layers.
 *
 * <p>{@link #forward}: input {@code (B, 3, H, W)}, H and W multiples of the stride; output {@code
 * (B, C_last, H/s, W/s)}: the last level's output (after its LayerNorm in pre-norm models) moved to
 * channels-first. {@link #classify} (with {@code optNumClasses(n > 0)}): the official head, a 1x1
 * conv without bias to {@code int(1.5 C_last)}, BatchNorm, GELU, global average pool, Linear.
 *
 * <p>Init as the official code: Linear weights normal with std 0.02 and zero biases, then DCNv3's
 * own (xavier-uniform projections, zero offset and mask layers); LayerNorms (1, 0); convs keep
 * PyTorch's default (uniform in {@code +-1/sqrt(fan_in)}).
 */
public final class InternImage extends HierarchicalEncoder implements OfficialCheckpoint {

    private static final byte VERSION = 1;
    private static final int STEM_STRIDE = 4;
    private static final float BATCH_NORM_EPS = 1e-5f;

    private final int channels;
    private final int[] depths;
    private final int[] groups;
    private final double mlpRatio;
    private final double offsetScale;
    private final boolean postNorm;
    private final float layerScale;
    private final float dropPathRate;
    private final int numClasses;
    private final double clsScale;

    private final List<String> officialNames = new ArrayList<>();
    private final Conv2d headConv;
    private final BatchNorm headNorm;
    private final Linear head;

    private InternImage(Builder builder) {
        super(VERSION, "InternImage", STEM_STRIDE << (builder.depths.length - 1));
        channels = builder.channels;
        depths = builder.depths.clone();
        groups = builder.groups.clone();
        mlpRatio = builder.mlpRatio;
        offsetScale = builder.offsetScale;
        postNorm = builder.postNorm;
        layerScale = builder.layerScale;
        dropPathRate = builder.dropPathRate;
        numClasses = builder.numClasses;
        clsScale = builder.clsScale;

        addToPath("patch_embed", new StemLayer(channels));
        float[] rates = dropPathRates(dropPathRate, Arrays.stream(depths).sum());
        int layerIndex = 0;
        for (int level = 0; level < depths.length; level++) {
            int levelChannels = channels << level;
            String prefix = "levels." + level;
            for (int j = 0; j < depths[level]; j++) {
                InternImageLayer layer =
                        InternImageLayer.builder()
                                .setChannels(levelChannels)
                                .setGroups(groups[level])
                                .optMlpRatio(mlpRatio)
                                .optOffsetScale(offsetScale)
                                .optPostNorm(postNorm)
                                .optLayerScale(layerScale)
                                .optDropPathRate(rates[layerIndex++])
                                .build();
                addToPath(prefix + ".blocks." + j, layer);
            }
            if (!postNorm) {
                addToPath(prefix + ".norm.0", InternImageLayer.layerNorm());
            }
            endStage();
            if (level < depths.length - 1) {
                addToPath(prefix + ".downsample", new DownsampleLayer(levelChannels));
            }
        }
        if (numClasses > 0) {
            int features = outputChannels();
            int hidden = (int) (features * clsScale);
            headConv =
                    addChildBlock(
                            "conv_head.0",
                            Conv2d.builder()
                                    .setKernelShape(new Shape(1, 1))
                                    .setFilters(hidden)
                                    .optBias(false)
                                    .build());
            headConv.setInitializer(
                    new UniformInitializer((float) (1 / Math.sqrt(features))),
                    Parameter.Type.WEIGHT);
            headNorm =
                    addChildBlock(
                            "conv_head.1.0",
                            BatchNorm.builder().optEpsilon(BATCH_NORM_EPS).build());
            head = addChildBlock("head", Linear.builder().setUnits(numClasses).build());
            head.setInitializer(new NormalInitializer(0.02f), Parameter.Type.WEIGHT);
        } else {
            headConv = null;
            headNorm = null;
            head = null;
        }
    }

    private void addToPath(String officialName, Block block) {
        addToFeaturePath(officialName, block);
        officialNames.add(officialName);
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public int outputChannels() {
        return channels << (depths.length - 1);
    }

    public int getChannels() {
        return channels;
    }

    public int[] getDepths() {
        return depths.clone();
    }

    public int[] getGroups() {
        return groups.clone();
    }

    public boolean isPostNorm() {
        return postNorm;
    }

    /** Classes of the classification head; 0 when the model has none. */
    public int getNumClasses() {
        return numClasses;
    }

    /** The layers of all levels in order. */
    public List<InternImageLayer> getLayers() {
        List<InternImageLayer> layers = new ArrayList<>();
        for (Block block : featurePath()) {
            if (block instanceof InternImageLayer layer) {
                layers.add(layer);
            }
        }
        return Collections.unmodifiableList(layers);
    }

    /**
     * Our parameters under the official state-dict names ({@code patch_embed.conv1.weight}, {@code
     * levels.0.blocks.0.dcn.offset.weight}, {@code levels.2.downsample.norm.1.bias}, {@code
     * conv_head.1.0.running_var}, {@code head.weight}, ...), in model order. The model must be
     * initialised.
     */
    @Override
    public RenameTable checkpointNames() {
        return InternImageWeights.NAMES;
    }

    @Override
    public Map<String, Parameter> officialParameters() {
        if (!isInitialized()) {
            throw new IllegalStateException(
                    "initialise the InternImage before mapping its weights");
        }
        Map<String, Parameter> map = new LinkedHashMap<>();
        for (int i = 0; i < featurePath().size(); i++) {
            OfficialWeights.collect(officialNames.get(i) + ".", featurePath().get(i), map);
        }
        if (head != null) {
            OfficialWeights.collect("conv_head.0.", headConv, map);
            OfficialWeights.collect("conv_head.1.0.", headNorm, map);
            OfficialWeights.collect("head.", head, map);
        }
        return map;
    }

    @Override
    protected boolean hasClassificationHead() {
        return head != null;
    }

    /** The levels run channels-last; the encoder output is channels-first. */
    @Override
    protected NDList encodeFeatures(
            ParameterStore parameterStore, NDArray features, boolean training) {
        return new NDList(features.transpose(0, 3, 1, 2));
    }

    @Override
    protected NDArray classifyFeatures(
            ParameterStore parameterStore, NDArray features, boolean training) {
        NDArray x = features.transpose(0, 3, 1, 2);
        x = headConv.forward(parameterStore, new NDList(x), training).singletonOrThrow();
        x = headNorm.forward(parameterStore, new NDList(x), training).singletonOrThrow();
        x = Activation.gelu(x);
        NDList pooled = new NDList(globalAveragePool(x));
        return head.forward(parameterStore, pooled, training).singletonOrThrow();
    }

    @Override
    protected void initializeHeads(NDManager manager, DataType dataType, Shape featureShape) {
        if (head != null) {
            Shape channelsFirst =
                    new Shape(
                            featureShape.get(0),
                            featureShape.get(3),
                            featureShape.get(1),
                            featureShape.get(2));
            headConv.initialize(manager, dataType, channelsFirst);
            Shape hidden = headConv.getOutputShapes(new Shape[] {channelsFirst})[0];
            headNorm.initialize(manager, dataType, hidden);
            head.initialize(manager, dataType, new Shape(hidden.get(0), hidden.get(1)));
        }
    }

    @Override
    protected String describeArchitecture() {
        return "channels "
                + channels
                + ", depths "
                + Arrays.toString(depths)
                + ", groups "
                + Arrays.toString(groups)
                + ", mlp ratio "
                + mlpRatio
                + ", "
                + (postNorm ? "post-norm" : "pre-norm")
                + ", layer scale "
                + (layerScale > 0f ? "on" : "off")
                + ", classes "
                + numClasses;
    }

    /**
     * Builds an {@link InternImage}. Required: {@link #setChannels} (even), {@link #setDepths} and
     * {@link #setGroups} of equal length {@code >= 1}, each level's channels divisible by its
     * groups. Defaults: MLP ratio 4, offset scale 1, pre-norm, no layer scale, drop path 0, no head
     * (class scale 1.5 when one is added).
     */
    public static final class Builder {
        private int channels;
        private int[] depths;
        private int[] groups;
        private double mlpRatio = 4;
        private double offsetScale = 1;
        private boolean postNorm;
        private float layerScale;
        private float dropPathRate;
        private int numClasses;
        private double clsScale = 1.5;

        private Builder() {}

        /** Channels of the first level; level {@code i} has {@code channels * 2^i}. */
        public Builder setChannels(int channels) {
            this.channels = channels;
            return this;
        }

        public Builder setDepths(int... depths) {
            this.depths = depths.clone();
            return this;
        }

        /** DCNv3 groups per level. */
        public Builder setGroups(int... groups) {
            this.groups = groups.clone();
            return this;
        }

        public Builder optMlpRatio(double mlpRatio) {
            this.mlpRatio = mlpRatio;
            return this;
        }

        public Builder optOffsetScale(double offsetScale) {
            this.offsetScale = offsetScale;
            return this;
        }

        /** Post-norm layers and no per-level LayerNorm (the official {@code post_norm=True}). */
        public Builder optPostNorm(boolean postNorm) {
            this.postNorm = postNorm;
            return this;
        }

        /** Initial layer scale value; {@code <= 0} (the default) means none. */
        public Builder optLayerScale(double layerScale) {
            this.layerScale = (float) layerScale;
            return this;
        }

        /** Drop path rate of the last layer; earlier layers get linearly smaller rates. */
        public Builder optDropPathRate(double dropPathRate) {
            this.dropPathRate = (float) dropPathRate;
            return this;
        }

        /** Adds the official classification head with this many classes; 0 means none. */
        public Builder optNumClasses(int numClasses) {
            this.numClasses = numClasses;
            return this;
        }

        /** Width of the head's 1x1 conv relative to the last level's channels. */
        public Builder optClsScale(double clsScale) {
            this.clsScale = clsScale;
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the first invalid setting
         */
        public InternImage build() {
            if (depths == null || groups == null) {
                throw new IllegalArgumentException(
                        "InternImage needs depths and groups (setDepths, setGroups)");
            }
            if (depths.length == 0 || depths.length != groups.length || depths.length > 20) {
                throw new IllegalArgumentException(
                        "InternImage depths and groups must have the same length in [1, 20], got"
                                + " depths "
                                + Arrays.toString(depths)
                                + " and groups "
                                + Arrays.toString(groups));
            }
            if (channels <= 0 || channels % 2 != 0) {
                throw new IllegalArgumentException(
                        "InternImage channels must be even and positive, got " + channels);
            }
            for (int i = 0; i < depths.length; i++) {
                if (depths[i] <= 0) {
                    throw new IllegalArgumentException(
                            "InternImage level " + i + " needs a positive depth, got " + depths[i]);
                }
                try {
                    DCNv3.checkConfiguration(channels << i, groups[i]);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(
                            "InternImage level " + i + ": " + e.getMessage(), e);
                }
            }
            if (numClasses < 0 || !(clsScale > 0)) {
                throw new IllegalArgumentException(
                        "InternImage needs numClasses >= 0 and a positive class scale, got "
                                + numClasses
                                + " and "
                                + clsScale);
            }
            return new InternImage(this);
        }
    }
}
