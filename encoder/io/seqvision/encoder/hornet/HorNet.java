package io.seqvision.encoder.hornet;

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
 * HorNet (Rao et al., "HorNet: Efficient High-Order Spatial Interactions with Recursive Gated
 * Convolutions", arXiv 2207.14284) as a seqvision {@link Encoder}, following raoyongming/HorNet
 * {@code hornet.py}: ConvNeXt's macro design with {@link HorNetBlock}s whose spatial mixing is a
 * {@link GnConv} of a per-stage order (2, 3, 4, 5 in every official variant) and spatial mixer.
 *
 * <p>Layout: stem (4x4 stride-4 conv, channels-first LayerNorm); per stage {@code i}: for {@code i
 * > 0} downsampling (channels-first LayerNorm, 2x2 stride-2 conv), then {@code depths[i]} blocks.
 * Stride {@code 4 * 2^(stages-1)}. Drop path rates rise linearly from 0 over all blocks.
 *
 * <p>{@link #forward}: input {@code (B, 3, H, W)}, H and W multiples of the stride; output {@code
 * (B, dims[last], H/s, W/s)}: the last stage through a channels-first LayerNorm ({@code
 * outputNorm}, as the official detection backbone normalises its outputs; not part of the ImageNet
 * checkpoint). {@link #classify} (with {@code optNumClasses(n > 0)}): global average pool,
 * LayerNorm, Linear, as the official classifier.
 *
 * <p>Init as the official code: conv and linear weights normal with std 0.02 (timm's {@code
 * trunc_normal_} cuts at +-2, i.e. 100 std away), biases 0, norms (1, 0), complex filters normal
 * with std 0.02, layer scales 1e-6.
 */
public final class HorNet extends HierarchicalEncoder implements OfficialCheckpoint {

    private static final byte VERSION = 1;
    private static final int STEM_STRIDE = 4;
    private static final int DOWNSAMPLE_STRIDE = 2;
    private static final float LAYER_NORM_EPS = 1e-6f;

    private final int[] depths;
    private final int[] dims;
    private final int[] orders;
    private final SpatialMixer[] mixers;
    private final double scale;
    private final float dropPathRate;
    private final float layerScaleInit;
    private final int numClasses;

    private final List<String> officialNames = new ArrayList<>();
    private final ChannelsFirstLayerNorm outputNorm;
    private final LayerNorm headNorm;
    private final Linear head;

    private HorNet(Builder builder) {
        super(VERSION, "HorNet", STEM_STRIDE << (builder.depths.length - 1));
        depths = builder.depths.clone();
        dims = builder.dims.clone();
        orders = builder.orders.clone();
        mixers = builder.mixers.clone();
        scale = builder.scale;
        dropPathRate = builder.dropPathRate;
        layerScaleInit = builder.layerScaleInit;
        numClasses = builder.numClasses;

        addToPath("downsample_layers.0.0", patchConv(dims[0], STEM_STRIDE));
        addToPath("downsample_layers.0.1", ChannelsFirstLayerNorm.builder().build());
        float[] rates = dropPathRates(dropPathRate, Arrays.stream(depths).sum());
        int blockIndex = 0;
        for (int stage = 0; stage < depths.length; stage++) {
            if (stage > 0) {
                String prefix = "downsample_layers." + stage;
                addToPath(prefix + ".0", ChannelsFirstLayerNorm.builder().build());
                addToPath(prefix + ".1", patchConv(dims[stage], DOWNSAMPLE_STRIDE));
            }
            for (int j = 0; j < depths[stage]; j++) {
                HorNetBlock block =
                        HorNetBlock.builder()
                                .setChannels(dims[stage])
                                .setOrder(orders[stage])
                                .optMixer(mixers[stage])
                                .optScale(scale)
                                .optDropPathRate(rates[blockIndex++])
                                .optLayerScaleInit(layerScaleInit)
                                .build();
                addToPath("stages." + stage + "." + j, block);
            }
            endStage();
        }
        outputNorm = addChildBlock("outputNorm", ChannelsFirstLayerNorm.builder().build());
        if (numClasses > 0) {
            headNorm =
                    addChildBlock("norm", LayerNorm.builder().optEpsilon(LAYER_NORM_EPS).build());
            head = addChildBlock("head", Linear.builder().setUnits(numClasses).build());
        } else {
            headNorm = null;
            head = null;
        }
        setInitializer(new NormalInitializer(0.02f), Parameter.Type.WEIGHT);
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
        return dims[dims.length - 1];
    }

    public int[] getDepths() {
        return depths.clone();
    }

    public int[] getDims() {
        return dims.clone();
    }

    public int[] getOrders() {
        return orders.clone();
    }

    public List<SpatialMixer> getMixers() {
        return List.of(mixers);
    }

    /** Classes of the classification head; 0 when the model has none. */
    public int getNumClasses() {
        return numClasses;
    }

    /** The blocks of all stages in order. */
    public List<HorNetBlock> getBlocks() {
        List<HorNetBlock> blocks = new ArrayList<>();
        for (Block block : featurePath()) {
            if (block instanceof HorNetBlock horNetBlock) {
                blocks.add(horNetBlock);
            }
        }
        return Collections.unmodifiableList(blocks);
    }

    /**
     * Our parameters under the official state-dict names ({@code downsample_layers.0.0.weight},
     * {@code stages.2.5.gnconv.dwconv.complex_weight}, {@code stages.0.1.gamma1}, {@code
     * norm.weight}, {@code head.bias}, ...), in model order; {@code outputNorm}, which the official
     * classifier lacks, is not included. The model must be initialised.
     */
    @Override
    public RenameTable checkpointNames() {
        return HorNetWeights.NAMES;
    }

    @Override
    public Map<String, Parameter> officialParameters() {
        if (!isInitialized()) {
            throw new IllegalStateException("initialise the HorNet before mapping its weights");
        }
        Map<String, Parameter> map = new LinkedHashMap<>();
        for (int i = 0; i < featurePath().size(); i++) {
            OfficialWeights.collect(officialNames.get(i) + ".", featurePath().get(i), map);
        }
        if (head != null) {
            OfficialWeights.collect("norm.", headNorm, map);
            OfficialWeights.collect("head.", head, map);
        }
        return map;
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
                + ", orders "
                + Arrays.toString(orders)
                + ", mixers "
                + Arrays.toString(mixers)
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
     * Builds a {@link HorNet}. Required: {@link #setDepths} and {@link #setDims}, of equal length
     * {@code >= 1}. Defaults: orders 2, 3, 4, 5, ... (stage {@code i} has order {@code i + 2}), the
     * 7x7 depthwise mixer in every stage, scale 1/3, drop path 0, layer scale init 1e-6 ({@code <=
     * 0} disables it), no head.
     */
    public static final class Builder {
        private int[] depths;
        private int[] dims;
        private int[] orders;
        private SpatialMixer[] mixers;
        private double scale = GnConv.OFFICIAL_SCALE;
        private float dropPathRate;
        private float layerScaleInit = 1e-6f;
        private int numClasses;

        private Builder() {}

        public Builder setDepths(int... depths) {
            this.depths = depths.clone();
            return this;
        }

        public Builder setDims(int... dims) {
            this.dims = dims.clone();
            return this;
        }

        /** The gnConv order of each stage. */
        public Builder optOrders(int... orders) {
            this.orders = orders.clone();
            return this;
        }

        /** The spatial mixer of each stage. */
        public Builder optMixers(SpatialMixer... mixers) {
            this.mixers = mixers.clone();
            return this;
        }

        public Builder optScale(double scale) {
            this.scale = scale;
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
        public HorNet build() {
            if (depths == null || dims == null) {
                throw new IllegalArgumentException(
                        "HorNet needs depths and dims (setDepths, setDims)");
            }
            int stages = depths.length;
            if (stages == 0 || dims.length != stages || stages > 20) {
                throw new IllegalArgumentException(
                        "HorNet depths and dims must have the same length in [1, 20], got depths "
                                + Arrays.toString(depths)
                                + " and dims "
                                + Arrays.toString(dims));
            }
            if (orders == null) {
                orders = new int[stages];
                for (int i = 0; i < stages; i++) {
                    orders[i] = i + 2;
                }
            }
            if (mixers == null) {
                mixers = new SpatialMixer[stages];
                Arrays.fill(mixers, SpatialMixer.depthwise7x7());
            }
            if (orders.length != stages || mixers.length != stages) {
                throw new IllegalArgumentException(
                        "HorNet needs one order and one mixer per stage ("
                                + stages
                                + "), got orders "
                                + Arrays.toString(orders)
                                + " and mixers "
                                + Arrays.toString(mixers));
            }
            for (int i = 0; i < stages; i++) {
                if (depths[i] <= 0) {
                    throw new IllegalArgumentException(
                            "HorNet stage " + i + " needs a positive depth, got " + depths[i]);
                }
                try {
                    GnConv.checkConfiguration(dims[i], orders[i], mixers[i]);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(
                            "HorNet stage " + i + ": " + e.getMessage(), e);
                }
            }
            if (numClasses < 0) {
                throw new IllegalArgumentException(
                        "HorNet numClasses must be >= 0, got " + numClasses);
            }
            if (!Double.isFinite(scale)
                    || !(dropPathRate >= 0f && dropPathRate < 1f)
                    || !Float.isFinite(layerScaleInit)) {
                throw new IllegalArgumentException(
                        "HorNet needs a finite scale, a drop path rate in [0, 1) and a finite layer"
                                + " scale init, got "
                                + scale
                                + ", "
                                + dropPathRate
                                + ", "
                                + layerScaleInit);
            }
            return new HorNet(this);
        }
    }
}
