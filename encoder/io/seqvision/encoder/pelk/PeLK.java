package io.seqvision.encoder.pelk;

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
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;

import io.seqvision.encoder.Encoder;
import io.seqvision.encoder.common.ChannelsFirstLayerNorm;
import io.seqvision.encoder.common.DepthwiseConv;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
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
public final class PeLK extends AbstractBlock implements Encoder {

    private static final byte VERSION = 1;
    private static final int IMAGE_CHANNELS = 3;
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
    private final int stride;

    private final List<Block> featurePath = new ArrayList<>();
    private final List<PeLKStage> stages = new ArrayList<>();
    private final ChannelsFirstLayerNorm outputNorm;
    private final LayerNorm headNorm;
    private final Linear head;

    private PeLK(Builder builder) {
        super(VERSION);
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
        stride = STEM_STRIDE << (depths.length - 1);

        featurePath.add(addChildBlock("stem_conv", patchConv(dims[0], STEM_STRIDE)));
        featurePath.add(addChildBlock("stem_norm", ChannelsFirstLayerNorm.builder().build()));
        float[] rates = dropPathRates(dropPathRate, Arrays.stream(depths).sum());
        int first = 0;
        for (int i = 0; i < depths.length; i++) {
            if (i > 0) {
                featurePath.add(
                        addChildBlock(
                                "downsample" + i + "_norm",
                                ChannelsFirstLayerNorm.builder().build()));
                featurePath.add(
                        addChildBlock(
                                "downsample" + i + "_conv", patchConv(dims[i], DOWNSAMPLE_STRIDE)));
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
            featurePath.add(addChildBlock("stage" + i, stage));
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
                    "this PeLK has no classification head; build it with optNumClasses(n > 0)");
        }
        if (!isInitialized()) {
            throw new IllegalStateException("initialise the PeLK before classify");
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
                    "PeLK expects one input array, got " + inputs.size());
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
                    "PeLK parameters were saved for "
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

    private void checkInput(Shape shape) {
        if (shape.dimension() != 4
                || shape.get(1) != IMAGE_CHANNELS
                || shape.get(2) <= 0
                || shape.get(3) <= 0
                || shape.get(2) % stride != 0
                || shape.get(3) % stride != 0) {
            throw new IllegalArgumentException(
                    "PeLK expects input (B, 3, H, W) with H and W positive multiples of its stride "
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

    /** {@code linspace(0, maxRate, count)}. */
    static float[] dropPathRates(float maxRate, int count) {
        float[] rates = new float[count];
        for (int i = 1; i < count; i++) {
            rates[i] = (float) ((double) maxRate * i / (count - 1));
        }
        return rates;
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
