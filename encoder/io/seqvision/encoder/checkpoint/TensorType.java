package io.seqvision.encoder.checkpoint;

import java.nio.ByteBuffer;

/** Element types a checkpoint tensor may have, with how to read one element as a float. */
public enum TensorType {
    FLOAT32(4, true),
    FLOAT16(2, true),
    BFLOAT16(2, true),
    FLOAT64(8, true),
    INT64(8, false),
    INT32(4, false),
    INT16(2, false),
    INT8(1, false),
    UINT8(1, false),
    BOOL(1, false);

    private final int bytes;
    private final boolean floating;

    TensorType(int bytes, boolean floating) {
        this.bytes = bytes;
        this.floating = floating;
    }

    public int bytes() {
        return bytes;
    }

    public boolean isFloating() {
        return floating;
    }

    /** The element at byte offset {@code at} of a little- or big-endian buffer, as a float. */
    float read(ByteBuffer buffer, int at) {
        switch (this) {
            case FLOAT32:
                return buffer.getFloat(at);
            case FLOAT16:
                return halfToFloat(buffer.getShort(at));
            case BFLOAT16:
                return Float.intBitsToFloat((buffer.getShort(at) & 0xffff) << 16);
            case FLOAT64:
                return (float) buffer.getDouble(at);
            case INT64:
                return buffer.getLong(at);
            case INT32:
                return buffer.getInt(at);
            case INT16:
                return buffer.getShort(at);
            case INT8:
                return buffer.get(at);
            case UINT8:
            case BOOL:
                return buffer.get(at) & 0xff;
            default:
                throw new AssertionError(this);
        }
    }

    /** IEEE 754 binary16 to float (Java 17 has no Float.float16ToFloat). */
    static float halfToFloat(short half) {
        int bits = half & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1f;
        int mantissa = bits & 0x3ff;
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            if (mantissa == 0) {
                return Float.intBitsToFloat(sign);
            }
            float value = mantissa * 0x1p-24f;
            return sign == 0 ? value : -value;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }
}
