package io.seqvision.encoder.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.function.BinaryOperator;

/**
 * Arithmetic between an array and a host number, safe under autograd. Use it instead of DJL's
 * {@code NDArray.mul(Number)}, {@code div(Number)}, {@code pow(Number)}, {@code maximum(Number)}
 * and {@code minimum(Number)}, and instead of {@code NDManager.create(float)} for a constant.
 *
 * <p>Why: DJL's PyTorch engine makes an array from Java data by wrapping a direct {@code
 * ByteBuffer} without copying, and only the Java array object keeps that buffer alive. DJL's
 * {@code x.mul(2f)} makes such a scalar, multiplies and closes it at once; but when {@code x}
 * requires a gradient, the engine has saved the scalar for the backward pass. Once the garbage
 * collector frees the buffer, the backward pass reads freed memory: gradients scaled by whatever
 * was written there next. Training then diverges or turns NaN after a garbage collection, at a step
 * that depends on the heap (the encoder study's PeLK NaN at step 810; a 600 MB heap made it
 * appear within 40 steps). The scalars made here are filled by the engine ({@code torch.full}) and
 * own their memory, so the engine's saved copy stays valid after they are closed.
 *
 * <p>The scalar is a 0-dimensional array on {@code x}'s device: float32 for a floating {@code x}
 * (float64 for float64), so that half-precision arrays are scaled by the float32 value as DJL's
 * overloads do, and {@code x}'s own type for an integer {@code x}. Results belong to {@code x}'s
 * manager.
 */
public final class Scalars {

    private Scalars() {}

    /** {@code x * value}. */
    public static NDArray mul(NDArray x, double value) {
        return withScalar(x, value, NDArray::mul);
    }

    /** {@code x / value}. */
    public static NDArray div(NDArray x, double value) {
        return withScalar(x, value, NDArray::div);
    }

    /** {@code x ^ value}, elementwise. */
    public static NDArray pow(NDArray x, double value) {
        return withScalar(x, value, NDArray::pow);
    }

    /** {@code max(x, value)}, elementwise. */
    public static NDArray maximum(NDArray x, double value) {
        return withScalar(x, value, NDArray::maximum);
    }

    /** {@code min(x, value)}, elementwise. */
    public static NDArray minimum(NDArray x, double value) {
        return withScalar(x, value, NDArray::minimum);
    }

    private static NDArray withScalar(NDArray x, double value, BinaryOperator<NDArray> op) {
        try (NDArray scalar = of(x, value)) {
            return op.apply(x, scalar);
        }
    }

    /**
     * A 0-dimensional array holding {@code value}, owned by the engine, on {@code like}'s device and
     * manager, typed as described in the class comment; the caller closes it.
     *
     * @throws IllegalArgumentException if {@code like} is an integer array and {@code value} is not
     *     an integer that its type and a float hold exactly
     */
    public static NDArray of(NDArray like, double value) {
        DataType type = like.getDataType();
        DataType scalarType;
        if (type.isFloating()) {
            scalarType = type == DataType.FLOAT64 ? DataType.FLOAT64 : DataType.FLOAT32;
        } else {
            if (value != Math.rint(value) || (float) value != value) {
                throw new IllegalArgumentException(
                        "a scalar for an array of " + type + " must be a whole number a float holds exactly, got "
                                + value);
            }
            scalarType = type;
        }
        NDArray scalar = like.getManager().full(new Shape(), (float) value, scalarType);
        if (!scalar.getDevice().equals(like.getDevice())) {
            NDArray moved = scalar.toDevice(like.getDevice(), false);
            scalar.close();
            return moved;
        }
        return scalar;
    }
}
