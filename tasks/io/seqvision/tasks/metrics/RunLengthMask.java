package io.seqvision.tasks.metrics;

import io.seqvision.tokenizers.BinaryMask;
import java.util.Arrays;

/**
 * A binary mask stored as its runs of set pixels, for evaluation: memory grows with the object's
 * outline rather than the image, and the overlap of two masks costs one pass over their runs.
 *
 * <p>Pixels are numbered row-major, {@code y * width + x} (as {@link BinaryMask}; COCO's RLE is
 * column-major, but areas and overlaps do not depend on the order as long as both masks use the
 * same one). The runs are half-open intervals {@code [start, end)} of pixel numbers, ascending,
 * disjoint and never touching, so each mask has exactly one representation.
 */
public final class RunLengthMask {

    private final int width;
    private final int height;
    /** {@code start0, end0, start1, end1, ...} */
    private final int[] runs;
    private final int area;
    // bounding box of the set pixels, inclusive; only used to skip pairs that cannot overlap
    private final int minX;
    private final int maxX;
    private final int minY;
    private final int maxY;

    private RunLengthMask(int width, int height, int[] runs) {
        this.width = width;
        this.height = height;
        this.runs = runs;
        int setPixels = 0;
        int left = width;
        int right = -1;
        for (int r = 0; r < runs.length; r += 2) {
            setPixels += runs[r + 1] - runs[r];
            int firstRow = runs[r] / width;
            int lastRow = (runs[r + 1] - 1) / width;
            left = Math.min(left, firstRow == lastRow ? runs[r] % width : 0);
            right = Math.max(right, firstRow == lastRow ? (runs[r + 1] - 1) % width : width - 1);
        }
        this.area = setPixels;
        this.minX = left;
        this.maxX = right;
        this.minY = runs.length == 0 ? height : runs[0] / width;
        this.maxY = runs.length == 0 ? -1 : (runs[runs.length - 1] - 1) / width;
    }

    /** The runs of a {@link BinaryMask}, same size. */
    public static RunLengthMask of(BinaryMask mask) {
        int width = mask.width();
        int height = mask.height();
        int[] runs = new int[16];
        int count = 0;
        boolean inside = false;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                if (mask.get(x, y) != inside) {
                    if (count == runs.length) {
                        runs = Arrays.copyOf(runs, 2 * count);
                    }
                    runs[count++] = y * width + x;
                    inside = !inside;
                }
            }
        }
        if (inside) {
            if (count == runs.length) {
                runs = Arrays.copyOf(runs, count + 1);
            }
            runs[count++] = width * height;
        }
        return new RunLengthMask(width, height, Arrays.copyOf(runs, count));
    }

    /** An empty mask of this size. */
    public static RunLengthMask empty(int width, int height) {
        requireSize(width, height);
        return new RunLengthMask(width, height, new int[0]);
    }

    /** The set pixels {@code x0 <= x < x1, y0 <= y < y1}, clipped to the mask. */
    public static RunLengthMask rectangle(int width, int height, int x0, int y0, int x1, int y1) {
        requireSize(width, height);
        int left = Math.max(0, x0);
        int right = Math.min(width, x1);
        int top = Math.max(0, y0);
        int bottom = Math.min(height, y1);
        if (left >= right || top >= bottom) {
            return empty(width, height);
        }
        if (left == 0 && right == width) {
            return new RunLengthMask(width, height, new int[] {top * width, bottom * width});
        }
        int[] runs = new int[2 * (bottom - top)];
        for (int y = top; y < bottom; y++) {
            runs[2 * (y - top)] = y * width + left;
            runs[2 * (y - top) + 1] = y * width + right;
        }
        return new RunLengthMask(width, height, runs);
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** Number of set pixels. */
    public int area() {
        return area;
    }

    public BinaryMask toBinaryMask() {
        boolean[] pixels = new boolean[width * height];
        for (int r = 0; r < runs.length; r += 2) {
            Arrays.fill(pixels, runs[r], runs[r + 1], true);
        }
        return new BinaryMask(width, height, pixels);
    }

    /**
     * Number of pixels set in both masks.
     *
     * @throws IllegalArgumentException if the sizes differ
     */
    public int intersection(RunLengthMask other) {
        if (other.width != width || other.height != height) {
            throw new IllegalArgumentException("masks differ in size: " + width + " x " + height
                    + " and " + other.width + " x " + other.height);
        }
        if (area == 0 || other.area == 0 || maxX < other.minX || other.maxX < minX
                || maxY < other.minY || other.maxY < minY) {
            return 0;
        }
        int[] a = runs;
        int[] b = other.runs;
        int i = 0;
        int j = 0;
        int overlap = 0;
        while (i < a.length && j < b.length) {
            int start = Math.max(a[i], b[j]);
            int end = Math.min(a[i + 1], b[j + 1]);
            if (start < end) {
                overlap += end - start;
            }
            if (a[i + 1] < b[j + 1]) {
                i += 2;
            } else {
                j += 2;
            }
        }
        return overlap;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RunLengthMask m && m.width == width && m.height == height && Arrays.equals(m.runs, runs);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * width + height) + Arrays.hashCode(runs);
    }

    @Override
    public String toString() {
        return "RunLengthMask[" + width + " x " + height + ", area " + area + ", " + runs.length / 2 + " runs]";
    }

    private static void requireSize(int width, int height) {
        if (width < 1 || height < 1 || (long) width * height > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("mask size must be positive and at most 2^31 - 1 pixels, got "
                    + width + " x " + height);
        }
    }
}
