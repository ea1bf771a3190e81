package io.seqvision.encoder.common;

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
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.NormalInitializer;
import io.seqvision.encoder.OptionTable;
import io.seqvision.encoder.checkpoint.OfficialCheckpoint;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ConvNeXt's macro-architecture, which SLaK, PeLK and HorNet share around their own spatial
 * mixers: a stem (4x4 stride-4 conv, channels-first LayerNorm); per stage {@code i}, for {@code i >
 * 0} a downsampling layer (channels-first LayerNorm, 2x2 stride-2 conv to {@code dims[i]}), then
 * the family's blocks ({@link #stageBlocks}); an output norm; and, when built with classes, the
 * ImageNet classifier (global average pool, LayerNorm, Linear). Stride {@code 4 * 2^(stages-1)};
 * drop path rates rise linearly from 0 for the first block to the configured rate for the last.
 *
 * <p>{@link #forward}: input {@code (B, 3, H, W)} with H and W multiples of the stride; output one
 * array {@code (B, dims[last], H/s, W/s)}, the last stage through a channels-first LayerNorm ({@code
 * outputNorm}; the official detection backbones normalise their outputs the same way; the ImageNet
 * checkpoints do not hold it). {@link #classify} does not use the output norm.
 *
 * <p>Children carry the official module names ({@code downsample_layers.0.0} the stem conv, {@code
 * downsample_layers.i.0}/{@code .1} the norm and conv before stage i, {@code stages.i.j} the blocks,
 * {@code norm} and {@code head} the classifier), so {@link #officialParameters} needs no table.
 * Init as the official code: conv and linear weights normal with std 0.02 (timm's {@code
 * trunc_normal_} cuts at the absolute values +-2, 100 std away: in effect untruncated; DJL's
 * truncated normal would cut at 2 std), biases 0, norms (1, 0), layer scales their constant.
 */
public abstract class StagedEncoder extends HierarchicalEncoder implements OfficialCheckpoint {

    /** Conv and linear weights of every family here. */
    public static final Initializer WEIGHT_INIT = new NormalInitializer(0.02f);

    private static final byte VERSION = 1;
    private static final int STEM_STRIDE = 4;
    private static final int DOWNSAMPLE_STRIDE = 2;
    private static final int MAX_STAGES = 20;

    private final String family;
    private final int[] depths;
    private final int[] dims;
    private final float dropPathRate;
    private final float layerScaleInit;
    private final int numClasses;
    private final List<String> featurePathNames = new ArrayList<>();
    private ChannelsFirstLayerNorm outputNorm;
    private LayerNorm headNorm;
    private Linear head;

    /** Takes the shared settings; the subclass then sets its own fields and calls {@link #buildLayers}. */
    protected StagedEncoder(String family, Builder<?> builder) {
        super(VERSION, family, STEM_STRIDE << (builder.depths.length - 1));
        this.family = family;
        depths = builder.depths.clone();
        dims = builder.stageWidths();
        dropPathRate = builder.dropPathRate;
        layerScaleInit = builder.layerScaleInit;
        numClasses = builder.numClasses;
    }

    /**
     * The blocks of stage {@code stage} ({@code dims()[stage]} channels in and out), one per drop
     * path rate given, in forward order; they become the children {@code stages.<stage>.<j>}.
     */
    protected abstract List<Block> stageBlocks(int stage, float[] dropPathRates);

    /** The family's settings for {@link #describeArchitecture}, e.g. {@code "kernel 7"}. */
    protected abstract String describeMixers();

    /** Adds every layer; called once, at the end of the subclass's constructor. */
    protected final void buildLayers() {
        addLayer("downsample_layers.0.0", patchConv(dims[0], STEM_STRIDE));
        addLayer("downsample_layers.0.1", ChannelsFirstLayerNorm.builder().build());
        float[] rates = dropPathRates(dropPathRate, Arrays.stream(depths).sum());
        int first = 0;
        for (int stage = 0; stage < depths.length; stage++) {
            if (stage > 0) {
                addLayer("downsample_layers." + stage + ".0", ChannelsFirstLayerNorm.builder().build());
                addLayer("downsample_layers." + stage + ".1", patchConv(dims[stage], DOWNSAMPLE_STRIDE));
            }
            List<Block> blocks = stageBlocks(stage, Arrays.copyOfRange(rates, first, first + depths[stage]));
            first += depths[stage];
            for (int j = 0; j < blocks.size(); j++) {
                addLayer("stages." + stage + "." + j, blocks.get(j));
            }
            endStage();
        }
        outputNorm = addChildBlock("outputNorm", ChannelsFirstLayerNorm.builder().build());
        if (numClasses > 0) {
            headNorm = addChildBlock("norm", LayerNorm.builder().optEpsilon(MixerBlock.LAYER_NORM_EPS).build());
            head = addChildBlock("head", Linear.builder().setUnits(numClasses).build());
        }
        setInitializer(WEIGHT_INIT, Parameter.Type.WEIGHT);
    }

    private void addLayer(String officialName, Block block) {
        addToFeaturePath(officialName, block);
        featurePathNames.add(officialName);
    }

    private static Conv2d patchConv(int filters, int size) {
        return Conv2d.builder()
                .setKernelShape(new Shape(size, size))
                .optStride(new Shape(size, size))
                .setFilters(filters)
                .build();
    }

    @Override
    public final int outputChannels() {
        return dims[dims.length - 1];
    }

    public final int[] getDepths() {
        return depths.clone();
    }

    /** Channels of each stage. */
    public final int[] getDims() {
        return dims.clone();
    }

    public final float getDropPathRate() {
        return dropPathRate;
    }

    public final float getLayerScaleInit() {
        return layerScaleInit;
    }

    /** Classes of the classification head; 0 when the model has none. */
    public final int getNumClasses() {
        return numClasses;
    }

    /** The blocks of every stage in forward order (for PeLK, its stages). */
    public final List<Block> getStageBlocks() {
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < featurePathNames.size(); i++) {
            if (featurePathNames.get(i).startsWith("stages.")) {
                blocks.add(featurePath().get(i));
            }
        }
        return Collections.unmodifiableList(blocks);
    }

    /** {@link #getStageBlocks} as the family's block type, which it alone knows. */
    @SuppressWarnings("unchecked")
    protected final <T extends Block> List<T> stageBlocksAs() {
        return (List<T>) getStageBlocks();
    }

    /**
     * Every parameter under its official state-dict name ({@code downsample_layers.0.0.weight},
     * {@code stages.2.4.<block names>}, {@code norm.weight}, {@code head.bias}), in model order;
     * {@code outputNorm}, which the official classifier lacks, is left out. The model must be
     * initialised.
     */
    @Override
    public final Map<String, Parameter> officialParameters() {
        if (!isInitialized()) {
            throw new IllegalStateException("initialise the " + family + " before mapping its weights");
        }
        Map<String, Parameter> map = new LinkedHashMap<>();
        for (int i = 0; i < featurePathNames.size(); i++) {
            OfficialWeights.collect(featurePathNames.get(i) + ".", featurePath().get(i), map);
        }
        if (head != null) {
            OfficialWeights.collect("norm.", headNorm, map);
            OfficialWeights.collect("head.", head, map);
        }
        return map;
    }

    @Override
    protected final boolean hasClassificationHead() {
        return head != null;
    }

    @Override
    protected final NDList encodeFeatures(ParameterStore parameterStore, NDArray features, boolean training) {
        return outputNorm.forward(parameterStore, new NDList(features), training);
    }

    @Override
    protected final NDArray classifyFeatures(ParameterStore parameterStore, NDArray features, boolean training) {
        return poolThenApply(parameterStore, features, training, headNorm, head);
    }

    @Override
    protected final void initializeHeads(NDManager manager, DataType dataType, Shape featureShape) {
        outputNorm.initialize(manager, dataType, featureShape);
        if (head != null) {
            initializeOnPooled(manager, dataType, featureShape, headNorm, head);
        }
    }

    /** The same text the families wrote before they shared this class, so saved models still load. */
    @Override
    protected final String describeArchitecture() {
        return "depths " + Arrays.toString(depths) + ", dims " + Arrays.toString(dims) + ", " + describeMixers()
                + ", layer scale " + (layerScaleInit > 0f ? "on" : "off") + ", classes " + numClasses;
    }

    /**
     * The options every staged family takes from a config: {@code drop_path_rate} and {@code
     * layer_scale_init}; a family adds its own.
     */
    public static <B extends Builder<B>> OptionTable.Builder<B> options() {
        return OptionTable.<B>builder()
                .number("drop_path_rate", Builder::optDropPathRate)
                .number("layer_scale_init", Builder::optLayerScaleInit);
    }

    static void checkDropPathRate(float rate) {
        if (!(rate >= 0f && rate < 1f)) {
            throw new IllegalArgumentException("drop path rate must be in [0, 1), got " + rate);
        }
    }

    static void checkLayerScaleInit(float init) {
        if (!Float.isFinite(init)) {
            throw new IllegalArgumentException("layer scale init must be finite, got " + init);
        }
    }

    /**
     * The settings every staged family takes. Required: {@link #setDepths} and {@link #setDims}, of
     * equal length in [1, 20]. Defaults: drop path 0, layer scale init 1e-6 ({@code <= 0} disables
     * it), no classification head.
     *
     * @param <B> the family's builder
     */
    public abstract static class Builder<B extends Builder<B>> {
        private int[] depths;
        private int[] dims;
        private float dropPathRate;
        private float layerScaleInit = 1e-6f;
        private int numClasses;

        protected Builder() {}

        protected abstract B self();

        /** Blocks per stage. */
        public B setDepths(int... depths) {
            this.depths = depths.clone();
            return self();
        }

        /** Channels per stage. */
        public B setDims(int... dims) {
            this.dims = dims.clone();
            return self();
        }

        /** Drop path rate of the last block; earlier blocks get linearly smaller rates. */
        public B optDropPathRate(double dropPathRate) {
            this.dropPathRate = (float) dropPathRate;
            return self();
        }

        /** Initial layer scale of every block; {@code <= 0} builds the blocks without one. */
        public B optLayerScaleInit(double layerScaleInit) {
            this.layerScaleInit = (float) layerScaleInit;
            return self();
        }

        /** Adds an ImageNet-style head with this many classes; 0 (the default) means none. */
        public B optNumClasses(int numClasses) {
            this.numClasses = numClasses;
            return self();
        }

        protected final int[] dims() {
            return dims;
        }

        /** The channels of each stage as built: the dims, unless a family widens them. */
        protected int[] stageWidths() {
            return dims.clone();
        }

        protected final int stages() {
            return depths.length;
        }

        /**
         * Checks the shared settings and that each of {@code perStage} (a name and its array) has one
         * entry per stage.
         *
         * @throws IllegalArgumentException naming the family and the first invalid setting
         */
        protected final void validate(String family, Object... perStage) {
            if (depths == null || dims == null) {
                throw new IllegalArgumentException(family + " needs depths and dims (setDepths, setDims)");
            }
            int stages = depths.length;
            if (stages == 0 || stages > MAX_STAGES || dims.length != stages) {
                throw new IllegalArgumentException(family + " depths and dims must have the same length in [1, "
                        + MAX_STAGES + "], got depths " + Arrays.toString(depths) + " and dims "
                        + Arrays.toString(dims));
            }
            for (int i = 0; i < perStage.length; i += 2) {
                Object values = perStage[i + 1];
                if (Array.getLength(values) != stages) {
                    String given = values instanceof int[] ints ? Arrays.toString(ints) : Arrays.toString((Object[]) values);
                    throw new IllegalArgumentException(family + " needs one " + perStage[i] + " per stage ("
                            + stages + "), got " + given);
                }
            }
            for (int i = 0; i < stages; i++) {
                if (depths[i] <= 0 || dims[i] <= 0) {
                    throw new IllegalArgumentException(family + " stage " + i
                            + " needs positive depth and dim, got depth " + depths[i] + " and dim " + dims[i]);
                }
            }
            try {
                checkDropPathRate(dropPathRate);
                checkLayerScaleInit(layerScaleInit);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(family + " " + e.getMessage(), e);
            }
            if (numClasses < 0) {
                throw new IllegalArgumentException(family + " numClasses must be >= 0, got " + numClasses);
            }
        }

        /**
         * Runs a family's check of stage {@code stage}, prefixing its message with the family and
         * stage.
         */
        protected static void checkStage(String family, int stage, Runnable check) {
            try {
                check.run();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(family + " stage " + stage + ": " + e.getMessage(), e);
            }
        }
    }
}
