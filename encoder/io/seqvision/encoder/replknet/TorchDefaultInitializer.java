package io.seqvision.encoder.replknet;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.Initializer;

/**
 * PyTorch's default initialisation of conv and linear weights, {@code kaiming_uniform_(a =
 * sqrt(5))}: uniform in {@code +-1/sqrt(fanIn)} with {@code fanIn} the product of all axes but the
 * first ({@code Cin/groups * kh * kw} for a conv, {@code in} for a linear). The official RepLKNet
 * keeps these defaults.
 */
final class TorchDefaultInitializer implements Initializer {

    static final TorchDefaultInitializer INSTANCE = new TorchDefaultInitializer();

    private TorchDefaultInitializer() {}

    @Override
    public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
        if (shape.dimension() < 2) {
            throw new IllegalArgumentException(
                    "the PyTorch default weight init needs a weight of rank >= 2, got " + shape);
        }
        long fanIn = shape.size() / shape.get(0);
        float bound = (float) (1 / Math.sqrt(fanIn));
        return manager.randomUniform(-bound, bound, shape, dataType, manager.getDevice());
    }
}
