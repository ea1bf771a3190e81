package io.seqvision.tasks.training;

import ai.djl.Device;
import ai.djl.ndarray.types.DataType;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The float type a training step computes in. Master weights, optimizer moments, the loss and its
 * reduction always stay in float32 (see {@link FlatParameters}).
 */
public enum Precision {
    /** Everything in float32. */
    FP32(DataType.FLOAT32),
    /** float16 compute with float32 master weights; needs loss scaling ({@link DynamicLossScaler}). */
    FP16(DataType.FLOAT16),
    /** bfloat16 compute: named so that asking for it gets a reason, not a crash (see {@link #check}). */
    BF16(DataType.BFLOAT16);

    private final DataType dataType;

    Precision(DataType dataType) {
        this.dataType = dataType;
    }

    public DataType dataType() {
        return dataType;
    }

    /** Whether the loss must be scaled to keep small gradients representable. */
    public boolean needsLossScaling() {
        return this == FP16;
    }

    /**
     * Parses {@code fp32}, {@code fp16} or {@code bf16} (any case).
     *
     * @throws IllegalArgumentException naming the valid values
     */
    public static Precision parse(String text) {
        for (Precision p : values()) {
            if (p.name().equalsIgnoreCase(text == null ? "" : text.trim())) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown precision '" + text + "'; valid: "
                + Arrays.stream(values()).map(p -> p.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", ")));
    }

    /**
     * Refuses a precision that cannot run on {@code device} through DJL 0.35.1, before any native
     * call is made.
     *
     * <p>bfloat16 is refused everywhere: the PyTorch JNI's data-type table (DJL's {@code
     * GetScalarTypeFromDType}) stops at complex64, so casting to bfloat16 ends in a bare C++ {@code
     * throw} that aborts the JVM, and bfloat16 tensors read back as UNKNOWN. float16 is in the table
     * and runs on the GPU and, slowly, on the CPU (useful for tests).
     *
     * @throws IllegalArgumentException with the reason
     */
    public void check(Device device) {
        if (this == BF16) {
            throw new IllegalArgumentException("--precision bf16 is not available through DJL 0.35.1: its PyTorch JNI"
                    + " has no bfloat16 data type (a cast to it aborts the JVM); use fp16, which keeps float32 master"
                    + " weights and scales the loss, or fp32 (device " + device + ")");
        }
    }
}
