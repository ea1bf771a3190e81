package io.seqvision.decoder;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.seqvision.encoder.Encoder;

/** A test-only encoder: one strided convolution (B, 3, H, W) -> (B, C, H/s, W/s). */
public final class TinyTestEncoder extends AbstractBlock implements Encoder {

    private final int channels;
    private final int stride;
    private final Conv2d conv;

    public TinyTestEncoder(int channels, int stride) {
        this.channels = channels;
        this.stride = stride;
        conv =
                addChildBlock(
                        "patchify",
                        Conv2d.builder()
                                .setKernelShape(new Shape(stride, stride))
                                .optStride(new Shape(stride, stride))
                                .setFilters(channels)
                                .build());
    }

    @Override
    public int outputChannels() {
        return channels;
    }

    @Override
    public int outputStride() {
        return stride;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        return conv.forward(parameterStore, inputs, training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return conv.getOutputShapes(inputShapes);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        conv.initialize(manager, dataType, inputShapes);
    }
}
