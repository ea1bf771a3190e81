package io.seqvision.encoder.convnext;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import io.seqvision.encoder.Encoder;
import io.seqvision.encoder.common.ChannelsFirstLayerNorm;
import io.seqvision.encoder.common.OfficialWeights;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
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
public final class ConvNeXt extends AbstractBlock implements Encoder {

    private static final byte VERSION = 1;
    private static final int IMAGE_CHANNELS = 3;
    private static final int STEM_STRIDE = 4;
    private static final int DOWNSAMPLE_STRIDE = 2;

    private final int[] depths;
    private final int[] dims;
    private final int kernelSize;
    private final float dropPathRate;
    private final float layerScaleInit;
    private final int numClasses;
    private final int stride;

    /** Stem, downsampling layers and blocks in forward order. */
    private final List<Block> featurePath = new ArrayList<>();

    private final ChannelsFirstLayerNorm outputNorm;
    private final LayerNorm headNorm;
    private final Linear head;

    private ConvNeXt(Builder builder) {
        super(VERSION);
        depths = builder.depths.clone();
        dims = builder.dims.clone();
        kernelSize = builder.kernelSize;
        dropPathRate = builder.dropPathRate;
        layerScaleInit = builder.layerScaleInit;
        numClasses = builder.numClasses;
        stride = STEM_STRIDE << (depths.length - 1);

        featurePath.add(addChildBlock("stem_conv", patchConv(dims[0], STEM_STRIDE)));
        featurePath.add(addChildBlock("stem_norm", ChannelsFirstLayerNorm.builder().build()));
        float[] rates = dropPathRates(dropPathRate, Arrays.stream(depths).sum());
        int blockIndex = 0;
        for (int stage = 0; stage < depths.length; stage++) {
            if (stage > 0) {
                String prefix = "downsample" + stage;
                featurePath.add(
                        addChildBlock(prefix + "_norm", ChannelsFirstLayerNorm.builder().build()));
                featurePath.add(
                        addChildBlock(prefix + "_conv", patchConv(dims[stage], DOWNSAMPLE_STRIDE)));
            }
            for (int j = 0; j < depths[stage]; j++) {
                ConvNeXtBlock block =
                        ConvNeXtBlock.builder()
                                .setChannels(dims[stage])
                                .optKernelSize(kernelSize)
                                .optDropPathRate(rates[blockIndex++])
                                .optLayerScaleInit(layerScaleInit)
                                .build();
                featurePath.add(addChildBlock("stage" + stage + "_block" + j, block));
            }
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

    @Override
    public int outputStride() {
        return stride;
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
        for (Block block : featurePath) {
            if (block instanceof ConvNeXtBlock) {
                blocks.add((ConvNeXtBlock) block);
            }
        }
        return Collections.unmodifiableList(blocks);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDArray features = lastStageFeatures(parameterStore, inputs, training);
        return outputNorm.forward(parameterStore, new NDList(features), training);
    }

    /**
     * ImageNet-style classification: input {@code (B, 3, H, W)}, output one array {@code (B,
     * numClasses)} of logits.
     *
     * @throws IllegalStateException if the model has no head or is not initialised
     */
    public NDList classify(ParameterStore parameterStore, NDList inputs, boolean training) {
        if (head == null) {
            throw new IllegalStateException(
                    "this ConvNeXt has no classification head; build it with optNumClasses(n > 0)");
        }
        if (!isInitialized()) {
            throw new IllegalStateException(
                    "initialise the ConvNeXt (initialize(manager, FLOAT32, inputShape)) before"
                            + " classify");
        }
        NDArray features = lastStageFeatures(parameterStore, inputs, training);
        Shape shape = features.getShape();
        NDArray pooled = features.reshape(shape.get(0), shape.get(1), -1).mean(new int[] {2});
        NDArray normalised =
                headNorm.forward(parameterStore, new NDList(pooled), training).singletonOrThrow();
        return head.forward(parameterStore, new NDList(normalised), training);
    }

    private NDArray lastStageFeatures(
            ParameterStore parameterStore, NDList inputs, boolean training) {
        if (inputs.size() != 1) {
            throw new IllegalArgumentException(
                    "ConvNeXt expects one input array, got " + inputs.size());
        }
        NDArray x = inputs.head();
        checkInput(x.getShape());
        for (Block block : featurePath) {
            x = block.forward(parameterStore, new NDList(x), training).singletonOrThrow();
        }
        return x;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape input = inputShapes[0];
        checkInput(input);
        return new Shape[] {
            new Shape(input.get(0), outputChannels(), input.get(2) / stride, input.get(3) / stride)
        };
    }

    @Override
    protected void beforeInitialize(Shape... inputShapes) {
        checkInput(inputShapes[0]);
        super.beforeInitialize(inputShapes);
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape shape = inputShapes[0];
        for (Block block : featurePath) {
            block.initialize(manager, dataType, shape);
            shape = block.getOutputShapes(new Shape[] {shape})[0];
        }
        outputNorm.initialize(manager, dataType, shape);
        if (head != null) {
            Shape pooled = new Shape(shape.get(0), shape.get(1));
            headNorm.initialize(manager, dataType, pooled);
            head.initialize(manager, dataType, pooled);
        }
    }

    /** Saves the architecture too, so that loading into a different configuration fails. */
    @Override
    protected void saveMetadata(DataOutputStream os) throws IOException {
        saveInputShapes(os);
        os.writeUTF(describeArchitecture());
    }

    @Override
    public void loadMetadata(byte loadVersion, DataInputStream is)
            throws IOException, MalformedModelException {
        super.loadMetadata(loadVersion, is);
        String saved = is.readUTF();
        if (!saved.equals(describeArchitecture())) {
            throw new MalformedModelException(
                    "ConvNeXt parameters were saved for "
                            + saved
                            + " but this model is "
                            + describeArchitecture());
        }
    }

    private String describeArchitecture() {
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

    private void checkInput(Shape shape) {
        if (shape.dimension() != 4
                || shape.get(1) != IMAGE_CHANNELS
                || shape.get(2) <= 0
                || shape.get(3) <= 0
                || shape.get(2) % stride != 0
                || shape.get(3) % stride != 0) {
            throw new IllegalArgumentException(
                    "ConvNeXt expects input (B, 3, H, W) with H and W positive multiples of its"
                            + " stride "
                            + stride
                            + ", got shape "
                            + shape);
        }
    }

    private static Conv2d patchConv(int filters, int size) {
        return Conv2d.builder()
                .setKernelShape(new Shape(size, size))
                .optStride(new Shape(size, size))
                .setFilters(filters)
                .build();
    }

    /** {@code linspace(0, maxRate, count)}, as the official code assigns rates to blocks. */
    static float[] dropPathRates(float maxRate, int count) {
        float[] rates = new float[count];
        for (int i = 1; i < count; i++) {
            rates[i] = (float) ((double) maxRate * i / (count - 1));
        }
        return rates;
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
