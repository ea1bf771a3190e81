package io.seqvision.tokenizers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Turns a {@link BinaryMask} into polygons for the {@link MaskTokenizer}: the outer boundary of each
 * connected component, traced along pixel corners, normalised by the mask's width and height.
 *
 * <p>Foreground is 8-connected (pixels touching at a corner belong to one component, traced as one
 * polygon that touches itself there), background 4-connected. Holes are ignored: the polygons of
 * the response format are unioned without subtraction, so a hole is filled in, and a component
 * lying inside another's hole is part of the filled region rather than a polygon of its own.
 * Without simplification, {@link PolygonRasterizer} (pixel centres) gives back exactly the mask
 * with its holes filled.
 */
public final class MaskTracer {

    // corner steps for the directions east, south, west, north (y grows downwards)
    private static final int[] DX = {1, 0, -1, 0};
    private static final int[] DY = {0, 1, 0, -1};
    private static final int NORTH = 3;

    private MaskTracer() {}

    /** The exact outer boundaries, largest component first; empty for an empty mask. */
    public static List<NormalizedPolygon> trace(BinaryMask mask) {
        List<NormalizedPolygon> polygons = new ArrayList<>();
        for (double[] xy : outlines(mask)) {
            polygons.add(normalise(xy, mask));
        }
        return polygons;
    }

    /**
     * The outer boundaries simplified ({@link PolygonSimplifier}, in pixel units) to at most {@code
     * maxPoints} vertices in all. The tolerance is {@code minTolerance} pixels if that fits (0.5
     * removes the staircase of slanted edges), else the least found by doubling, then bisection; if
     * even one triangle per component would not fit, the smallest components are dropped.
     *
     * @param minTolerance pixels, {@code >= 0}
     * @param maxPoints    vertex budget over all polygons, {@code >= 3}
     */
    public static List<NormalizedPolygon> trace(BinaryMask mask, double minTolerance, int maxPoints) {
        if (!(minTolerance >= 0) || Double.isInfinite(minTolerance)) {
            throw new IllegalArgumentException("tolerance must be finite and >= 0, got " + minTolerance);
        }
        if (maxPoints < 3) {
            throw new IllegalArgumentException("maxPoints must be at least 3, got " + maxPoints);
        }
        List<double[]> outlines = outlines(mask);
        while (3 * outlines.size() > maxPoints) {
            outlines.remove(outlines.size() - 1); // smallest last
        }
        List<double[]> simplified = simplify(outlines, minTolerance);
        if (pointCount(simplified) > maxPoints) {
            double fits = Math.max(1, minTolerance);
            while (pointCount(simplify(outlines, fits)) > maxPoints) {
                fits *= 2;
            }
            double over = minTolerance;
            for (int i = 0; i < 30 && fits - over > 1e-3; i++) {
                double middle = (over + fits) / 2;
                if (pointCount(simplify(outlines, middle)) > maxPoints) {
                    over = middle;
                } else {
                    fits = middle;
                }
            }
            simplified = simplify(outlines, fits);
        }
        List<NormalizedPolygon> polygons = new ArrayList<>(simplified.size());
        for (double[] xy : simplified) {
            polygons.add(normalise(xy, mask));
        }
        return polygons;
    }

    /** Outer boundaries in pixel-corner coordinates {@code x0, y0, ...}, by area, largest first. */
    static List<double[]> outlines(BinaryMask mask) {
        int width = mask.width();
        int height = mask.height();
        boolean[] filled = withHolesFilled(mask);
        boolean[] seen = new boolean[filled.length];
        List<double[]> outlines = new ArrayList<>();
        int[] stack = new int[filled.length];
        for (int start = 0; start < filled.length; start++) {
            if (!filled[start] || seen[start]) {
                continue;
            }
            // the first pixel of a component in row-major order: its top edge borders the outside
            outlines.add(traceFrom(filled, width, height, start % width, start / width));
            markComponent(filled, seen, width, height, start, stack);
        }
        outlines.sort(Comparator.comparingDouble(MaskTracer::area).reversed());
        return outlines;
    }

    /** The mask with every background pixel not 4-connected to the border set. */
    private static boolean[] withHolesFilled(BinaryMask mask) {
        int width = mask.width();
        int height = mask.height();
        boolean[] pixels = mask.pixels();
        boolean[] outside = new boolean[pixels.length];
        int[] stack = new int[pixels.length];
        int top = 0;
        for (int x = 0; x < width; x++) {
            top = pushOutside(pixels, outside, stack, top, x);
            top = pushOutside(pixels, outside, stack, top, (height - 1) * width + x);
        }
        for (int y = 0; y < height; y++) {
            top = pushOutside(pixels, outside, stack, top, y * width);
            top = pushOutside(pixels, outside, stack, top, y * width + width - 1);
        }
        while (top > 0) {
            int p = stack[--top];
            int x = p % width;
            int y = p / width;
            if (x > 0) {
                top = pushOutside(pixels, outside, stack, top, p - 1);
            }
            if (x < width - 1) {
                top = pushOutside(pixels, outside, stack, top, p + 1);
            }
            if (y > 0) {
                top = pushOutside(pixels, outside, stack, top, p - width);
            }
            if (y < height - 1) {
                top = pushOutside(pixels, outside, stack, top, p + width);
            }
        }
        boolean[] filled = new boolean[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            filled[i] = !outside[i];
        }
        return filled;
    }

    private static int pushOutside(boolean[] pixels, boolean[] outside, int[] stack, int top, int p) {
        if (!pixels[p] && !outside[p]) {
            outside[p] = true;
            stack[top++] = p;
        }
        return top;
    }

    /** Marks the 8-connected component of {@code start} as seen. */
    private static void markComponent(boolean[] filled, boolean[] seen, int width, int height, int start,
            int[] stack) {
        int top = 0;
        seen[start] = true;
        stack[top++] = start;
        while (top > 0) {
            int p = stack[--top];
            int x = p % width;
            int y = p / width;
            for (int dy = -1; dy <= 1; dy++) {
                for (int dx = -1; dx <= 1; dx++) {
                    int nx = x + dx;
                    int ny = y + dy;
                    if (nx >= 0 && nx < width && ny >= 0 && ny < height) {
                        int q = ny * width + nx;
                        if (filled[q] && !seen[q]) {
                            seen[q] = true;
                            stack[top++] = q;
                        }
                    }
                }
            }
        }
    }

    /**
     * Walks the boundary clockwise (on screen) from the top-left corner of pixel {@code (x0, y0)},
     * keeping the component on the right, and returns the corners where the walk turns.
     */
    private static double[] traceFrom(boolean[] filled, int width, int height, int x0, int y0) {
        DoubleList corners = new DoubleList();
        int cx = x0;
        int cy = y0;
        int direction = NORTH; // as if arriving up the start pixel's left edge
        do {
            int next = turn(filled, width, height, cx, cy, direction);
            if (next != direction) {
                corners.add(cx);
                corners.add(cy);
            }
            direction = next;
            cx += DX[direction];
            cy += DY[direction];
        } while (cx != x0 || cy != y0);
        return corners.toArray();
    }

    /**
     * The direction to leave corner {@code (cx, cy)} by, having arrived going {@code direction}:
     * left if the pixel ahead on the left is set (8-connectivity joins diagonal neighbours), else
     * straight if the pixel ahead on the right is set, else right.
     */
    private static int turn(boolean[] filled, int width, int height, int cx, int cy, int direction) {
        // pixels around a corner: NW (cx-1, cy-1), NE (cx, cy-1), SW (cx-1, cy), SE (cx, cy)
        boolean aheadLeft;
        boolean aheadRight;
        switch (direction) {
            case 0 -> { // east
                aheadLeft = set(filled, width, height, cx, cy - 1);
                aheadRight = set(filled, width, height, cx, cy);
            }
            case 1 -> { // south
                aheadLeft = set(filled, width, height, cx, cy);
                aheadRight = set(filled, width, height, cx - 1, cy);
            }
            case 2 -> { // west
                aheadLeft = set(filled, width, height, cx - 1, cy);
                aheadRight = set(filled, width, height, cx - 1, cy - 1);
            }
            default -> { // north
                aheadLeft = set(filled, width, height, cx - 1, cy - 1);
                aheadRight = set(filled, width, height, cx, cy - 1);
            }
        }
        if (aheadLeft) {
            return (direction + 3) % 4;
        }
        return aheadRight ? direction : (direction + 1) % 4;
    }

    private static boolean set(boolean[] filled, int width, int height, int x, int y) {
        return x >= 0 && y >= 0 && x < width && y < height && filled[y * width + x];
    }

    private static List<double[]> simplify(List<double[]> outlines, double tolerance) {
        List<double[]> simplified = new ArrayList<>(outlines.size());
        for (double[] xy : outlines) {
            simplified.add(PolygonSimplifier.simplify(xy, tolerance));
        }
        return simplified;
    }

    private static int pointCount(List<double[]> polygons) {
        int count = 0;
        for (double[] xy : polygons) {
            count += xy.length / 2;
        }
        return count;
    }

    private static double area(double[] xy) {
        double twice = 0;
        int n = xy.length / 2;
        for (int i = 0, j = n - 1; i < n; j = i++) {
            twice += xy[2 * j] * xy[2 * i + 1] - xy[2 * i] * xy[2 * j + 1];
        }
        return Math.abs(twice) / 2;
    }

    private static NormalizedPolygon normalise(double[] xy, BinaryMask mask) {
        double[] normalised = new double[xy.length];
        for (int i = 0; i < xy.length; i += 2) {
            normalised[i] = xy[i] / mask.width();
            normalised[i + 1] = xy[i + 1] / mask.height();
        }
        return new NormalizedPolygon(normalised);
    }

    /** A growable array of doubles, so a long outline is not boxed vertex by vertex. */
    private static final class DoubleList {
        private double[] values = new double[64];
        private int size;

        void add(double value) {
            if (size == values.length) {
                values = Arrays.copyOf(values, 2 * size);
            }
            values[size++] = value;
        }

        double[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }
}
