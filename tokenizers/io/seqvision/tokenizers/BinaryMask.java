package io.seqvision.tokenizers;

import java.util.Arrays;

/**
 * A binary mask of {@code height} rows by {@code width} columns, row-major: pixel {@code (x, y)} is
 * {@code pixels[y * width + x]}.
 *
 * @param pixels copied, never shared
 */
public record BinaryMask(int width, int height, boolean[] pixels) {

    public BinaryMask {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("mask size must be positive, got " + width + " x " + height);
        }
        if (pixels.length != (long) width * height) {
            throw new IllegalArgumentException(
                    "mask of " + width + " x " + height + " needs " + (long) width * height + " pixels, got " + pixels.length);
        }
        pixels = pixels.clone();
    }

    /** A copy of the pixels. */
    @Override
    public boolean[] pixels() {
        return pixels.clone();
    }

    public boolean get(int x, int y) {
        return pixels[y * width + x];
    }

    /** Number of set pixels. */
    public int area() {
        int area = 0;
        for (boolean p : pixels) {
            if (p) {
                area++;
            }
        }
        return area;
    }

    /**
     * Intersection over union with a mask of the same size; 1 when both are empty (they agree).
     */
    public double iou(BinaryMask other) {
        if (other.width != width || other.height != height) {
            throw new IllegalArgumentException("masks differ in size: " + width + " x " + height
                    + " and " + other.width + " x " + other.height);
        }
        int intersection = 0;
        int union = 0;
        for (int i = 0; i < pixels.length; i++) {
            if (pixels[i] && other.pixels[i]) {
                intersection++;
            }
            if (pixels[i] || other.pixels[i]) {
                union++;
            }
        }
        return union == 0 ? 1.0 : intersection / (double) union;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BinaryMask m && m.width == width && m.height == height && Arrays.equals(pixels, m.pixels);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * width + height) + Arrays.hashCode(pixels);
    }

    @Override
    public String toString() {
        return "BinaryMask[" + width + " x " + height + ", area " + area() + "]";
    }
}
