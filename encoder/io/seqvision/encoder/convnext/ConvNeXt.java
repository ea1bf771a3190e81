package io.seqvision.encoder.convnext;

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
import ai.djl.util.Pair;
import io.seqvision.encoder.Encoder;
import io.seqvision.encoder.common.ChannelsFirstLayerNorm;
import io.seqvision.encoder.common.HierarchicalEncoder;
import io.seqvision.encoder.common.OfficialWeights;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ConvNeXt (Liu et al., "A ConvNet for the 2020s", arXiv 2201.03545) as a seqvision {@link
 * Encoder}, following facebookresearch/ConvNeXt {@code models/convnext.py}.
 *
 * <p>Layout: stem (4x4 stride-4 conv, channels-first LayerNorm); then per stage {@code i}: for
 * {@code i > 0} a downsampling layer (channels-first LayerNorm, 2x2 stride-2 conv to {@code
 * dims[i]}), then {@code depths[i]} {@link ConvNeXtBlock}s. Any number of stages {@code >= 1};
 * {@link #outputStride()} is {@code 4 * 2^(stages-1)}. Drop path rates rise linearly from 0 for the
 * first block to the configured rate for the last block over all stages.
 *
 * <p>{@link #forward} (the encoder path): input {@code (B, 3, H, W)} with H and W multiples of the
 * stride; output one array {@code (B, dims[last], H/s, W/s)}: the last stage's features through a
 * final channels-first LayerNorm ({@code outputNorm}; the official detection backbone normalises
 * its outputs the same way).
 *
 * <p>{@link #classify} (only when built with {@code optNumClasses(n > 0)}): the official ImageNet
 * classifier, which does not use {@code outputNorm}: global average pool, LayerNorm, Linear to
 * {@code (B, n)}.
 *
 * <p>Init as the official code: conv and linear weights normal with std 0.02 (see {@link
 * ConvNeXtBlock#WEIGHT_INIT}), biases zero, norms (1, 0), layer scale the configured constant.
 */
public final class ConvNeXt extends HierarchicalEncoder implements OfficialCheckpoint {

    private static final byte VERSION = 1;
    private static final int STEM_STRIDE = 4;
    private static final int DOWNSAMPLE_STRIDE = 2;

    private final int[] depths;
    private final int[] dims;
    private final int kernelSize;
    private final float dropPathRate;
    private final float layerScaleInit;
    private final int numClasses;


    private final ChannelsFirstLayerNorm outputNorm;
    private final LayerNorm headNorm;
    private final Linear head;

    private ConvNeXt(Builder builder) {
        super(VERSION, "ConvNeXt", STEM_STRIDE << (builder.depths.length - 1));
        depths = builder.depths.clone();
        dims = builder.dims.clone();
        kernelSize = builder.kernelSize;
        dropPathRate = builder.dropPathRate;
        layerScaleInit = builder.layerScaleInit;
        numClasses = builder.numClasses;

        addToFeaturePath("stem_conv", patchConv(dims[0], STEM_STRIDE));
        addToFeaturePath("stem_norm", ChannelsFirstLayerNorm.builder().build());
        float[] rates = dropPathRates(dropPathRate, Arrays.stream(depths).sum());
        int blockIndex = 0;
        for (int stage = 0; stage < depths.length; stage++) {
            if (stage > 0) {
                String prefix = "downsample" + stage;
                addToFeaturePath(prefix + "_norm", ChannelsFirstLayerNorm.builder().build());
                addToFeaturePath(prefix + "_conv", patchConv(dims[stage], DOWNSAMPLE_STRIDE));
            }
            for (int j = 0; j < depths[stage]; j++) {
                ConvNeXtBlock block =
                        ConvNeXtBlock.builder()
                                .setChannels(dims[stage])
                                .optKernelSize(kernelSize)
                                .optDropPathRate(rates[blockIndex++])
                                .optLayerScaleInit(layerScaleInit)
                                .build();
                addToFeaturePath("stage" + stage + "_block" + j, block);
            }
            endStage();
        }
        outputNorm = addChildBlock("outputNorm", ChannelsFirstLayerNorm.builder().build());
        if (numClasses > 0) {
            headNorm =
                    addChildBlock(
                            "headNorm",
                            LayerNorm.builder().optEpsilon(ConvNeXtBlock.LAYER_NORM_EPS).build());
            head = addChildBlock("head", Linear.builder().setUnits(numClasses).build());
        } else {
            headNorm = null;
            head = null;
        }
        setInitializer(ConvNeXtBlock.WEIGHT_INIT, Parameter.Type.WEIGHT);
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

    public int[] getDims() {
        return dims.clone();
    }

    public int getKernelSize() {
        return kernelSize;
    }

    public float getDropPathRate() {
        return dropPathRate;
    }

    public float getLayerScaleInit() {
        return layerScaleInit;
    }

    /** Classes of the classification head; 0 when the model has none. */
    public int getNumClasses() {
        return numClasses;
    }

    /**
     * Every parameter under its name in the official PyTorch state dict
     * (facebookresearch/ConvNeXt models/convnext.py): {@code downsample_layers.0.0} the stem conv,
     * {@code downsample_layers.0.1} its norm, {@code downsample_layers.i.0}/{@code .1} the norm and
     * conv before stage i, {@code stages.i.j.{dwconv,norm,pwconv1,pwconv2,gamma}}, {@code norm} and
     * {@code head} for the classifier. The output norm has no official counterpart and is left
     * out. The model must be initialised.
     */
    @Override
    public RenameTable checkpointNames() {
        return ConvNeXtWeights.NAMES;
    }

    @Override
    public Map<String, Parameter> officialParameters() {
        Map<String, Parameter> map = new LinkedHashMap<>();
        for (Pair<String, Block> child : getChildren()) {
            String name = OfficialWeights.stripIndex(child.getKey());
            String prefix = officialPrefix(name);
            if (prefix != null) {
                OfficialWeights.collect(prefix, child.getValue(), map);
            }
        }
        Map<String, Parameter> renamed = new LinkedHashMap<>();
        map.forEach((key, value) -> renamed.put(
                key.endsWith(".layerScale") ? key.substring(0, key.length() - "layerScale".length()) + "gamma" : key,
                value));
        return renamed;
    }

    private static String officialPrefix(String child) {
        if (child.equals("stem_conv")) {
            return "downsample_layers.0.0.";
        }
        if (child.equals("stem_norm")) {
            return "downsample_layers.0.1.";
        }
        if (child.startsWith("downsample")) {
            String stage = child.substring("downsample".length(), child.indexOf('_'));
            return "downsample_layers." + stage + (child.endsWith("_norm") ? ".0." : ".1.");
        }
        if (child.startsWith("stage")) {
            String stage = child.substring("stage".length(), child.indexOf('_'));
            String block = child.substring(child.indexOf("_block") + "_block".length());
            return "stages." + stage + "." + block + ".";
        }
        if (child.equals("headNorm")) {
            return "norm.";
        }
        if (child.equals("head")) {
            return "head.";
        }
        return null;
    }

    /** The blocks of all stages in order, e.g. to inspect their drop path rates. */
    public List<ConvNeXtBlock> getBlocks() {
        List<ConvNeXtBlock> blocks = new ArrayList<>();
        for (Block block : featurePath()) {
            if (block instanceof ConvNeXtBlock) {
                blocks.add((ConvNeXtBlock) block);
            }
        }
        return Collections.unmodifiableList(blocks);
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
                + ", kernel "
                + kernelSize
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

    /**
     * Builds a {@link ConvNeXt}. Required: {@link #setDepths} and {@link #setDims}, of equal length
     * {@code >= 1}. Defaults: kernel 7, drop path 0, layer scale init 1e-6 ({@code <= 0} disables
     * it), no classification head.
     */
    public static final class Builder {
        private int[] depths;
        private int[] dims;
        private int kernelSize = 7;
        private float dropPathRate;
        private float layerScaleInit = 1e-6f;
        private int numClasses;

        private Builder() {}

        /** Blocks per stage. */
        public Builder setDepths(int... depths) {
            this.depths = depths.clone();
            return this;
        }

        /** Channels per stage. */
        public Builder setDims(int... dims) {
            this.dims = dims.clone();
            return this;
        }

        /** Depthwise kernel size of every block (odd). */
        public Builder optKernelSize(int kernelSize) {
            this.kernelSize = kernelSize;
            return this;
        }

        /** Drop path rate of the last block; earlier blocks get linearly smaller rates. */
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

        /**
         * @throws IllegalArgumentException naming the first invalid setting
         */
        public ConvNeXt build() {
            if (depths == null || dims == null) {
                throw new IllegalArgumentException(
                        "ConvNeXt needs depths and dims (setDepths, setDims)");
            }
            if (depths.length == 0 || depths.length != dims.length) {
                throw new IllegalArgumentException(
                        "ConvNeXt depths and dims must have the same length >= 1, got depths "
                                + Arrays.toString(depths)
                                + " and dims "
                                + Arrays.toString(dims));
            }
            if (depths.length > 20) {
                throw new IllegalArgumentException(
                        "ConvNeXt supports at most 20 stages, got " + depths.length);
            }
            for (int i = 0; i < depths.length; i++) {
                if (depths[i] <= 0 || dims[i] <= 0) {
                    throw new IllegalArgumentException(
                            "ConvNeXt stage "
                                    + i
                                    + " needs positive depth and dim, got depth "
                                    + depths[i]
                                    + " and dim "
                                    + dims[i]);
                }
            }
            ConvNeXtBlock.checkKernelSize(kernelSize);
            ConvNeXtBlock.checkDropPathRate(dropPathRate);
            ConvNeXtBlock.checkLayerScaleInit(layerScaleInit);
            if (numClasses < 0) {
                throw new IllegalArgumentException(
                        "ConvNeXt numClasses must be >= 0, got " + numClasses);
            }
            return new ConvNeXt(this);
        }
    }
}
