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
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.UniformInitializer;
import ai.djl.util.PairList;

/**
 * InternImage's stem ({@code StemLayer} in {@code classification/models/intern_image.py}): 3x3
 * stride-2 conv (3 to C/2, bias), LayerNorm, GELU, 3x3 stride-2 conv (C/2 to C, bias), LayerNorm;
 * both convs pad 1. It turns the channels-first image into the channels-last layout the rest of the
 * model uses.
 *
 * <p>Input: {@code (B, 3, H, W)}. Output: {@code (B, ceil(H/4), ceil(W/4), C)} (exactly {@code H/4}
 * for multiples of 4). Children (official names): {@code conv1}, {@code norm1.1}, {@code conv2},
 * {@code norm2.1}. The convs have PyTorch's default init (uniform in {@code +-1/sqrt(fan_in)}).
 */
public final class StemLayer extends AbstractBlock {

    private static final byte VERSION = 1;
    private static final int IMAGE_CHANNELS = 3;

    private final int channels;
    private final Conv2d conv1;
    private final LayerNorm norm1;
    private final Conv2d conv2;
    private final LayerNorm norm2;

    /** A stem producing {@code channels} (even, positive) output channels. */
    public StemLayer(int channels) {
        super(VERSION);
        if (channels <= 0 || channels % 2 != 0) {
            throw new IllegalArgumentException(
                    "InternImage stem channels must be even and positive, got " + channels);
        }
        this.channels = channels;
        conv1 = addChildBlock("conv1", strided3x3(channels / 2, true, IMAGE_CHANNELS));
        norm1 = addChildBlock("norm1.1", InternImageLayer.layerNorm());
        conv2 = addChildBlock("conv2", strided3x3(channels, true, channels / 2));
        norm2 = addChildBlock("norm2.1", InternImageLayer.layerNorm());
    }

    /** A 3x3 stride-2 conv with padding 1 and PyTorch's default init for {@code inChannels}. */
    static Conv2d strided3x3(int filters, boolean bias, int inChannels) {
        Conv2d conv =
                Conv2d.builder()
                        .setKernelShape(new Shape(3, 3))
                        .optStride(new Shape(2, 2))
                        .optPadding(new Shape(1, 1))
                        .setFilters(filters)
                        .optBias(bias)
                        .build();
        UniformInitializer torchDefault =
                new UniformInitializer((float) (1 / Math.sqrt(9.0 * inChannels)));
        conv.setInitializer(torchDefault, Parameter.Type.WEIGHT);
        conv.setInitializer(torchDefault, Parameter.Type.BIAS);
        return conv;
    }

    public int getChannels() {
        return channels;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDArray x = conv1.forward(parameterStore, inputs, training).singletonOrThrow();
        x =
                norm1.forward(parameterStore, new NDList(x.transpose(0, 2, 3, 1)), training)
                        .singletonOrThrow();
        x = Activation.gelu(x).transpose(0, 3, 1, 2);
        x = conv2.forward(parameterStore, new NDList(x), training).singletonOrThrow();
        return norm2.forward(parameterStore, new NDList(x.transpose(0, 2, 3, 1)), training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape half = conv1.getOutputShapes(inputShapes)[0];
        Shape quarter = conv2.getOutputShapes(new Shape[] {half})[0];
        return new Shape[] {new Shape(quarter.get(0), quarter.get(2), quarter.get(3), channels)};
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        conv1.initialize(manager, dataType, inputShapes);
        Shape half = conv1.getOutputShapes(inputShapes)[0];
        norm1.initialize(manager, dataType, channelsLast(half));
        conv2.initialize(manager, dataType, half);
        Shape quarter = conv2.getOutputShapes(new Shape[] {half})[0];
        norm2.initialize(manager, dataType, channelsLast(quarter));
    }

    static Shape channelsLast(Shape channelsFirst) {
        return new Shape(
                channelsFirst.get(0),
                channelsFirst.get(2),
                channelsFirst.get(3),
                channelsFirst.get(1));
    }
}
