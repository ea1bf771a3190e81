package io.seqvision.encoder.internimage;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.UniformInitializer;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.PairList;

/**
 * DCNv3, the deformable convolution of InternImage (Wang et al., arXiv 2211.05778; {@code DCNv3} in
 * OpenGVLab/InternImage {@code classification/ops_dcnv3/modules/dcnv3.py}), channels-last.
 *
 * <p>{@code x = input_proj(input)}; from the raw input, a depthwise {@code K x K} conv (bias) then
 * LayerNorm and GELU give features from which {@code offset} (Linear to {@code G*K*K*2}) and {@code
 * mask} (Linear to {@code G*K*K}, softmax over the {@code K*K} points of each group) are predicted;
 * {@link DeformableSampling} samples {@code x} bilinearly at the shifted grid, each group of {@code
 * C/G} channels with its own offsets and modulation (the projection weights are shared by all
 * groups); {@code output_proj} maps the result.
 *
 * <p>Input: {@code (B, H, W, C)}. Output: the same shape. Children (official names): {@code
 * input_proj}, {@code output_proj} (Linear C to C, xavier-uniform weights, zero bias); {@code
 * dw_conv.0} (depthwise conv, PyTorch's default init), {@code dw_conv.1.1} (LayerNorm, eps 1e-6);
 * {@code offset} and {@code mask} (Linear, zero-initialised, so that training starts from the
 * regular grid with equal point weights).
 */
public final class DCNv3 extends AbstractBlock {

    static final float LAYER_NORM_EPS = 1e-6f;

    /** PyTorch's xavier_uniform_: bound {@code sqrt(6 / (fanIn + fanOut))}. */
    static final Initializer XAVIER_UNIFORM =
            new XavierInitializer(
                    XavierInitializer.RandomType.UNIFORM, XavierInitializer.FactorType.AVG, 3f);

    private static final byte VERSION = 1;

    private final int channels;
    private final int groups;
    private final int kernelSize;
    private final float offsetScale;

    private final Linear inputProj;
    private final Conv2d dwConv;
    private final LayerNorm dwNorm;
    private final Linear offset;
    private final Linear mask;
    private final Linear outputProj;

    private DCNv3(Builder builder) {
        super(VERSION);
        channels = builder.channels;
        groups = builder.groups;
        kernelSize = builder.kernelSize;
        offsetScale = builder.offsetScale;
        int points = kernelSize * kernelSize;
        inputProj = addChildBlock("input_proj", Linear.builder().setUnits(channels).build());
        outputProj = addChildBlock("output_proj", Linear.builder().setUnits(channels).build());
        int pad = (kernelSize - 1) / 2;
        dwConv =
                addChildBlock(
                        "dw_conv.0",
                        Conv2d.builder()
                                .setKernelShape(new Shape(kernelSize, kernelSize))
                                .optPadding(new Shape(pad, pad))
                                .optGroups(channels)
                                .setFilters(channels)
                                .build());
        dwNorm =
                addChildBlock(
                        "dw_conv.1.1",
                        LayerNorm.builder().axis(3).optEpsilon(LAYER_NORM_EPS).build());
        offset =
                addChildBlock(
                        "offset", Linear.builder().setUnits((long) groups * points * 2).build());
        mask = addChildBlock("mask", Linear.builder().setUnits((long) groups * points).build());

        inputProj.setInitializer(XAVIER_UNIFORM, Parameter.Type.WEIGHT);
        outputProj.setInitializer(XAVIER_UNIFORM, Parameter.Type.WEIGHT);
        offset.setInitializer(Initializer.ZEROS, Parameter.Type.WEIGHT);
        mask.setInitializer(Initializer.ZEROS, Parameter.Type.WEIGHT);
        // PyTorch's Conv2d default: weight and bias uniform in +-1/sqrt(fan_in), fan_in = K*K
        UniformInitializer torchDefault = new UniformInitializer(1f / kernelSize);
        dwConv.setInitializer(torchDefault, Parameter.Type.WEIGHT);
        dwConv.setInitializer(torchDefault, Parameter.Type.BIAS);
    }

    public static Builder builder() {
        return new Builder();
    }

    public int getChannels() {
        return channels;
    }

    public int getGroups() {
        return groups;
    }

    public int getKernelSize() {
        return kernelSize;
    }

    public float getOffsetScale() {
        return offsetScale;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDArray input = inputs.singletonOrThrow();
        checkInput(input.getShape());
        Shape shape = input.getShape();
        NDArray x = inputProj.forward(parameterStore, inputs, training).singletonOrThrow();
        NDArray features = input.transpose(0, 3, 1, 2);
        features =
                dwConv.forward(parameterStore, new NDList(features), training).singletonOrThrow();
        features = features.transpose(0, 2, 3, 1);
        features =
                dwNorm.forward(parameterStore, new NDList(features), training).singletonOrThrow();
        features = Activation.gelu(features);
        NDList featureList = new NDList(features);
        NDArray offsets = offset.forward(parameterStore, featureList, training).singletonOrThrow();
        NDArray logits = mask.forward(parameterStore, featureList, training).singletonOrThrow();
        int points = kernelSize * kernelSize;
        NDArray modulation =
                logits.reshape(shape.get(0), shape.get(1), shape.get(2), groups, points)
                        .softmax(4)
                        .reshape(shape.get(0), shape.get(1), shape.get(2), (long) groups * points);
        x = DeformableSampling.sample(x, offsets, modulation, kernelSize, groups, offsetScale);
        return outputProj.forward(parameterStore, new NDList(x), training);
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
        Shape channelsFirst = new Shape(input.get(0), channels, input.get(1), input.get(2));
        inputProj.initialize(manager, dataType, input);
        outputProj.initialize(manager, dataType, input);
        dwConv.initialize(manager, dataType, channelsFirst);
        dwNorm.initialize(manager, dataType, input);
        offset.initialize(manager, dataType, input);
        mask.initialize(manager, dataType, input);
    }

    private void checkInput(Shape shape) {
        if (shape.dimension() != 4 || shape.get(3) != channels) {
            throw new IllegalArgumentException(
                    "DCNv3 with "
                            + channels
                            + " channels expects channels-last input (B, H, W, "
                            + channels
                            + "), got shape "
                            + shape);
        }
    }

    /**
     * Builds a {@link DCNv3}. Required: {@link #setChannels} and {@link #setGroups} (dividing the
     * channels). Defaults: kernel 3, offset scale 1.
     */
    public static final class Builder {
        private int channels;
        private int groups;
        private int kernelSize = 3;
        private float offsetScale = 1f;

        private Builder() {}

        public Builder setChannels(int channels) {
            this.channels = channels;
            return this;
        }

        public Builder setGroups(int groups) {
            this.groups = groups;
            return this;
        }

        /** The odd kernel size K (K*K sampling points per group). */
        public Builder optKernelSize(int kernelSize) {
            this.kernelSize = kernelSize;
            return this;
        }

        public Builder optOffsetScale(double offsetScale) {
            this.offsetScale = (float) offsetScale;
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the first invalid setting
         */
        public DCNv3 build() {
            checkConfiguration(channels, groups);
            if (kernelSize <= 0 || kernelSize % 2 == 0) {
                throw new IllegalArgumentException(
                        "DCNv3 kernel size must be odd and positive, got " + kernelSize);
            }
            if (!Float.isFinite(offsetScale)) {
                throw new IllegalArgumentException(
                        "DCNv3 offset scale must be finite, got " + offsetScale);
            }
            return new DCNv3(this);
        }
    }

    /** Validates channels and groups, naming the problem. */
    static void checkConfiguration(int channels, int groups) {
        if (channels <= 0 || groups <= 0 || channels % groups != 0) {
            throw new IllegalArgumentException(
                    "DCNv3 channels must be a positive multiple of the groups, got "
                            + channels
                            + " channels and "
                            + groups
                            + " groups");
        }
    }
}
