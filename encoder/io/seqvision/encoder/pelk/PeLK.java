package io.seqvision.encoder.pelk;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;

import io.seqvision.encoder.Encoder;
import io.seqvision.encoder.common.ChannelsFirstLayerNorm;
import io.seqvision.encoder.common.DepthwiseConv;
import io.seqvision.encoder.common.HierarchicalEncoder;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * PeLK (Chen et al., "PeLK: Parameter-efficient Large Kernel ConvNets with Peripheral Convolution",
 * CVPR 2024, arXiv 2403.07589) as a seqvision {@link Encoder}. There is no official code; this
 * follows the paper: SLaK's macro design (itself ConvNeXt's) with {@link PeLKBlock}s whose spatial
 * mixer is a {@link PartialPeripheralConv}, one {@link PeLKStage} (and positional embedding) per
 * stage.
 *
 * <p>Layout: stem (4x4 stride-4 conv, channels-first LayerNorm); per stage {@code i}: for {@code i
 * > 0} downsampling (channels-first LayerNorm, 2x2 stride-2 conv), then {@code depths[i]} blocks
 * with kernel {@code kernels[i]}, of whose {@code dims[i]} channels the first {@code int(dims[i] *
 * partialRatio)} pass the peripheral conv. Stride {@code 4 * 2^(stages-1)}. Drop path rates rise
 * linearly from 0 over all blocks.
 *
 * <p>{@link #forward}: input {@code (B, 3, H, W)}, H and W multiples of the stride; output {@code
 * (B, dims[last], H/s, W/s)}, the last stage through a channels-first LayerNorm ({@code
 * outputNorm}). {@link #classify} (with {@code optNumClasses(n > 0)}): global average pool,
 * LayerNorm, Linear, as SLaK's classifier.
 *
 * <p>Init as SLaK: conv and linear weights (the peripheral parameter kernels included) normal with
 * std 0.02, biases 0, norms (1, 0), positional embeddings normal with std 0.02, layer scale 1e-6.
 * The paper trains with SLaK's dynamic sparsity (40%); this model is dense.
 */
public final class PeLK extends HierarchicalEncoder {

    private static final byte VERSION = 1;
    private static final int STEM_STRIDE = 4;
    private static final int DOWNSAMPLE_STRIDE = 2;
    private static final float LAYER_NORM_EPS = 1e-6f;

    private final int[] depths;
    private final int[] dims;
    private final int[] kernels;
    private final double partialRatio;
    private final int centreSize;
    private final int smallKernelSize;
    private final boolean positionEmbedding;
    private final float dropPathRate;
    private final float layerScaleInit;
    private final int numClasses;

    private final List<PeLKStage> stages = new ArrayList<>();
    private final ChannelsFirstLayerNorm outputNorm;
    private final LayerNorm headNorm;
    private final Linear head;

    private PeLK(Builder builder) {
        super(VERSION, "PeLK", STEM_STRIDE << (builder.depths.length - 1));
        depths = builder.depths.clone();
        dims = builder.dims.clone();
        kernels = builder.kernels.clone();
        partialRatio = builder.partialRatio;
        centreSize = builder.centreSize;
        smallKernelSize = builder.smallKernelSize;
        positionEmbedding = builder.positionEmbedding;
        dropPathRate = builder.dropPathRate;
        layerScaleInit = builder.layerScaleInit;
        numClasses = builder.numClasses;

        addToFeaturePath("stem_conv", patchConv(dims[0], STEM_STRIDE));
        addToFeaturePath("stem_norm", ChannelsFirstLayerNorm.builder().build());
        float[] rates = dropPathRates(dropPathRate, Arrays.stream(depths).sum());
        int first = 0;
        for (int i = 0; i < depths.length; i++) {
            if (i > 0) {
                addToFeaturePath(
                                "downsample" + i + "_norm",
                                ChannelsFirstLayerNorm.builder().build());
                addToFeaturePath(
                                "downsample" + i + "_conv", patchConv(dims[i], DOWNSAMPLE_STRIDE));
            }
            PeLKStage stage =
                    PeLKStage.builder()
                            .setChannels(dims[i])
                            .setConvChannels(convChannels(dims[i], partialRatio))
                            .setKernelSize(kernels[i])
                            .setDropPathRates(Arrays.copyOfRange(rates, first, first + depths[i]))
                            .optCentreSize(centreSize)
                            .optSmallKernelSize(smallKernelSize)
                            .optLayerScaleInit(layerScaleInit)
                            .optPositionEmbedding(positionEmbedding)
                            .optPath(builder.path)
                            .build();
            first += depths[i];
            stages.add(stage);
            addToFeaturePath("stage" + i, stage);
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

    /** {@code int(channels * ratio)}, at least 1: the channels that pass the peripheral conv. */
    public static int convChannels(int channels, double ratio) {
        return Math.max(1, (int) (channels * ratio));
    }

    /**
     * {@code int(d * factor)} for each d, as SLaK widens ConvNeXt's stages (1.3: 124, 249, ...).
     */
    public static int[] scaledWidths(double factor, int... dims) {
        int[] widths = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            widths[i] = (int) (dims[i] * factor);
        }
        return widths;
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

    public int[] getKernels() {
        return kernels.clone();
    }

    /** Classes of the classification head; 0 when the model has none. */
    public int getNumClasses() {
        return numClasses;
    }

    public List<PeLKStage> getStages() {
        return Collections.unmodifiableList(stages);
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
                + ", partial ratio "
                + partialRatio
                + ", centre "
                + centreSize
                + ", small kernel "
                + smallKernelSize
                + ", position embedding "
                + (positionEmbedding ? "on" : "off")
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
     * Builds a {@link PeLK}. Required: {@link #setDepths}, {@link #setDims} and {@link #setKernels}
     * of equal length {@code >= 1}. Defaults: partial ratio 3/8, 5x5 fine-grained centre, no small
     * kernel, positional embeddings on, drop path 0, layer scale 1e-6 ({@code <= 0} disables it),
     * no head, {@link DepthwiseConv.Path#AUTO}.
     */
    public static final class Builder {
        private int[] depths;
        private int[] dims;
        private int[] kernels;
        private double partialRatio = 3.0 / 8;
        private int centreSize = 5;
        private int smallKernelSize;
        private boolean positionEmbedding = true;
        private float dropPathRate;
        private float layerScaleInit = 1e-6f;
        private int numClasses;
        private DepthwiseConv.Path path = DepthwiseConv.Path.AUTO;

        private Builder() {}

        public Builder setDepths(int... depths) {
            this.depths = depths.clone();
            return this;
        }

        /** Stage widths (already widened; see {@link PeLK#scaledWidths}). */
        public Builder setDims(int... dims) {
            this.dims = dims.clone();
            return this;
        }

        /** Peripheral kernel size of each stage (odd). */
        public Builder setKernels(int... kernels) {
            this.kernels = kernels.clone();
            return this;
        }

        /** The fraction of each stage's channels that pass the peripheral conv, in (0, 1]. */
        public Builder optPartialRatio(double partialRatio) {
            this.partialRatio = partialRatio;
            return this;
        }

        public Builder optCentreSize(int centreSize) {
            this.centreSize = centreSize;
            return this;
        }

        /** A parallel small depthwise kernel in every mixer (SLaK's 5x5); 0 for none. */
        public Builder optSmallKernelSize(int smallKernelSize) {
            this.smallKernelSize = smallKernelSize;
            return this;
        }

        public Builder optPositionEmbedding(boolean positionEmbedding) {
            this.positionEmbedding = positionEmbedding;
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

        public Builder optPath(DepthwiseConv.Path path) {
            this.path = path;
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the first invalid setting
         */
        public PeLK build() {
            if (depths == null || dims == null || kernels == null) {
                throw new IllegalArgumentException(
                        "PeLK needs depths, dims and kernels (setDepths, setDims, setKernels)");
            }
            int stages = depths.length;
            if (stages == 0 || dims.length != stages || kernels.length != stages || stages > 20) {
                throw new IllegalArgumentException(
                        "PeLK depths, dims and kernels must have the same length in [1, 20], got"
                                + " depths "
                                + Arrays.toString(depths)
                                + ", dims "
                                + Arrays.toString(dims)
                                + " and kernels "
                                + Arrays.toString(kernels));
            }
            if (!(partialRatio > 0 && partialRatio <= 1)) {
                throw new IllegalArgumentException(
                        "PeLK partial ratio must be in (0, 1], got " + partialRatio);
            }
            for (int i = 0; i < stages; i++) {
                if (depths[i] <= 0 || dims[i] <= 0) {
                    throw new IllegalArgumentException(
                            "PeLK stage "
                                    + i
                                    + " needs positive depth and dim, got depth "
                                    + depths[i]
                                    + " and dim "
                                    + dims[i]);
                }
                try {
                    SharingGrid.of(kernels[i], centreSize);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(
                            "PeLK stage " + i + ": " + e.getMessage(), e);
                }
            }
            if (numClasses < 0) {
                throw new IllegalArgumentException(
                        "PeLK numClasses must be >= 0, got " + numClasses);
            }
            if (!(dropPathRate >= 0f && dropPathRate < 1f) || !Float.isFinite(layerScaleInit)) {
                throw new IllegalArgumentException(
                        "PeLK needs a drop path rate in [0, 1) and a finite layer scale init, got "
                                + dropPathRate
                                + " and "
                                + layerScaleInit);
            }
            if (smallKernelSize < 0 || (smallKernelSize > 0 && smallKernelSize % 2 == 0)) {
                throw new IllegalArgumentException(
                        "PeLK small kernel must be 0 or odd, got " + smallKernelSize);
            }
            if (path == null) {
                throw new IllegalArgumentException("PeLK path must not be null");
            }
            return new PeLK(this);
        }
    }
}
