package io.seqvision.encoder.hornet;

/**
 * The spatial operation a {@link GnConv} applies to its gating bundle: a depthwise conv (HorNet
 * "7x7") or the {@link GlobalLocalFilter} (HorNet "GF").
 */
public sealed interface SpatialMixer permits SpatialMixer.Depthwise, SpatialMixer.GlobalFilter {

    /** The official 7x7 depthwise conv with bias. */
    static SpatialMixer depthwise7x7() {
        return depthwise(7);
    }

    /** A {@code k x k} depthwise conv with bias, padding {@code (k-1)/2}. */
    static SpatialMixer depthwise(int kernelSize) {
        return new Depthwise(kernelSize);
    }

    /**
     * The global-local filter with a stored complex filter of {@code height x width} frequencies
     * (the official code stores 14x8 for stage 3 and 7x4 for stage 4, the sizes of {@code rfft2} at
     * 224 px input; other sizes are interpolated to).
     */
    static SpatialMixer globalFilter(int height, int width) {
        return new GlobalFilter(height, width);
    }

    /** A depthwise conv of odd size {@code kernelSize}. */
    record Depthwise(int kernelSize) implements SpatialMixer {
        public Depthwise {
            if (kernelSize <= 0 || kernelSize % 2 == 0) {
                throw new IllegalArgumentException(
                        "gnConv depthwise kernel size must be odd and positive, got " + kernelSize);
            }
        }

        @Override
        public String toString() {
            return "dw" + kernelSize;
        }
    }

    /** A global-local filter with a stored {@code height x width} complex filter. */
    record GlobalFilter(int height, int width) implements SpatialMixer {
        public GlobalFilter {
            if (height <= 0 || width <= 0) {
                throw new IllegalArgumentException(
                        "global filter size must be positive, got " + height + "x" + width);
            }
        }

        @Override
        public String toString() {
            return "gf" + height + "x" + width;
        }
    }
}
