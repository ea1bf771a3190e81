package io.seqvision.encoder.common;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Float-type casts that autograd differentiates through.
 *
 * <p>DJL's {@link NDArray#toType} is not one: the PyTorch JNI runs {@code torchTo} under a {@code
 * NoGradGuard}, so the cast array has no gradient path back to its input (checked on DJL 0.35.1:
 * backward through a {@code toType} result reaches nothing). Mixed-precision training needs casts
 * that keep the path, so these go through arithmetic instead: a widening cast adds a one-element
 * zero of the wider type (PyTorch's type promotion widens the result), a narrowing cast adds the
 * input in place into zeros of the narrower type (an in-place op keeps its target's type). Either
 * way the backward pass hands the gradient back in the input's type.
 */
public final class DifferentiableCast {

    private DifferentiableCast() {}

    /**
     * {@code x} as {@code type}, with gradients flowing back to {@code x}; {@code x} itself when it
     * already has that type. The result belongs to {@code x}'s manager.
     *
     * @throws IllegalArgumentException if either type is not a float type
     */
    public static NDArray to(NDArray x, DataType type) {
        DataType from = x.getDataType();
        if (from == type) {
            return x;
        }
        if (!isFloat(from) || !isFloat(type)) {
            throw new IllegalArgumentException(
                    "differentiable casts are between float types, got " + from + " to " + type);
        }
        if (type.getNumOfBytes() > from.getNumOfBytes()) {
            try (NDArray zero = x.getManager().zeros(new Shape(1), type, x.getDevice())) {
                return x.add(zero);
            }
        }
        return x.getManager().zeros(x.getShape(), type, x.getDevice()).addi(x);
    }

    private static boolean isFloat(DataType type) {
        return type == DataType.FLOAT16 || type == DataType.FLOAT32 || type == DataType.FLOAT64;
    }
}
