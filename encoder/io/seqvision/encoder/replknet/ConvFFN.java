package io.seqvision.encoder.replknet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

import io.seqvision.encoder.common.ConvBatchNorm;
import io.seqvision.encoder.common.DropPath;

/**
 * RepLKNet's feed-forward block ({@code ConvFFN} in the official {@code replknet.py}): {@code x +
 * dropPath(pw2(GELU(pw1(BN(x)))))} with {@code pw1} a 1x1 conv + BN from C to {@code ratio * C}
 * and {@code pw2} a 1x1 conv + BN back to C.
 *
 * <p>Input: {@code (B, C, H, W)}. Output: the same shape. Children (official names): {@code
 * preffn_bn}, {@code pw1}, {@code pw2}.
 */
public final class ConvFFN extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int channels;
    private final int hidden;
    private final float dropPathRate;

    private final BatchNorm preNorm;
    private final ConvBatchNorm pw1;
    private final ConvBatchNorm pw2;

    /**
     * @param channels C
     * @param hidden the inner width, {@code ffn_ratio * C} in the official code
     * @param dropPathRate the residual branch's drop path rate in {@code [0, 1)}
     * @throws IllegalArgumentException if a width is not positive or the rate is out of range
     */
    public ConvFFN(int channels, int hidden, double dropPathRate) {
        super(VERSION);
        if (channels <= 0 || hidden <= 0) {
            throw new IllegalArgumentException(
                    "ConvFFN widths must be positive, got " + channels + " and " + hidden);
        }
        RepLKNet.checkDropPathRate((float) dropPathRate);
        this.channels = channels;
        this.hidden = hidden;
        this.dropPathRate = (float) dropPathRate;
        preNorm = addChildBlock("preffn_bn", Layers.batchNorm());
        pw1 = addChildBlock("pw1", Layers.convBn(hidden, 1, 1, 1, false));
        pw2 = addChildBlock("pw2", Layers.convBn(channels, 1, 1, 1, false));
    }

    public int getChannels() {
        return channels;
    }

    public float getDropPathRate() {
        return dropPathRate;
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDArray input = inputs.singletonOrThrow();
        checkInput(input.getShape());
        NDList x = preNorm.forward(parameterStore, inputs, training);
        x = pw1.forward(parameterStore, x, training);
        x = new NDList(Activation.gelu(x.singletonOrThrow()));
        NDArray branch = pw2.forward(parameterStore, x, training).singletonOrThrow();
        return new NDList(input.add(DropPath.apply(branch, dropPathRate, training)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape input = inputShapes[0];
        checkInput(input);
        preNorm.initialize(manager, dataType, input);
        pw1.initialize(manager, dataType, input);
        pw2.initialize(
                manager, dataType, new Shape(input.get(0), hidden, input.get(2), input.get(3)));
    }

    private void checkInput(Shape shape) {
        if (shape.dimension() != 4 || shape.get(1) != channels) {
            throw new IllegalArgumentException(
                    "ConvFFN with "
                            + channels
                            + " channels expects input (B, "
                            + channels
                            + ", H, W), got shape "
                            + shape);
        }
    }
}
