package io.seqvision.encoder.internimage;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * InternImage's downsampling ({@code DownsampleLayer} in {@code
 * classification/models/intern_image.py}): a 3x3 stride-2 conv without bias (padding 1) from C to
 * 2C channels, then LayerNorm.
 *
 * <p>Input: channels-last {@code (B, H, W, C)}. Output: {@code (B, ceil(H/2), ceil(W/2), 2C)}.
 * Children (official names): {@code conv} (PyTorch's default init), {@code norm.1}.
 */
public final class DownsampleLayer extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int channels;
    private final Conv2d conv;
    private final LayerNorm norm;

    /** Downsampling of {@code channels} input channels to twice as many. */
    public DownsampleLayer(int channels) {
        super(VERSION);
        if (channels <= 0) {
            throw new IllegalArgumentException(
                    "InternImage downsampling channels must be positive, got " + channels);
        }
        this.channels = channels;
        conv = addChildBlock("conv", StemLayer.strided3x3(2 * channels, false, channels));
        norm = addChildBlock("norm.1", InternImageLayer.layerNorm());
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow().transpose(0, 3, 1, 2);
        x = conv.forward(parameterStore, new NDList(x), training).singletonOrThrow();
        return norm.forward(parameterStore, new NDList(x.transpose(0, 2, 3, 1)), training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape out = conv.getOutputShapes(new Shape[] {channelsFirst(inputShapes[0])})[0];
        return new Shape[] {StemLayer.channelsLast(out)};
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape in = channelsFirst(inputShapes[0]);
        conv.initialize(manager, dataType, in);
        norm.initialize(manager, dataType, getOutputShapes(inputShapes));
    }

    private Shape channelsFirst(Shape channelsLast) {
        if (channelsLast.dimension() != 4 || channelsLast.get(3) != channels) {
            throw new IllegalArgumentException(
                    "InternImage downsampling of "
                            + channels
                            + " channels expects (B, H, W, "
                            + channels
                            + "), got shape "
                            + channelsLast);
        }
        return new Shape(
                channelsLast.get(0), channelsLast.get(3), channelsLast.get(1), channelsLast.get(2));
    }
}
