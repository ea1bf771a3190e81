package io.seqvision.tasks.data;

import java.util.Arrays;

/**
 * Sutherland-Hodgman clipping of a polygon ({@code x0, y0, x1, y1, ...}) to the unit square, one
 * edge of the square at a time. A polygon wholly inside comes back unchanged; a concave polygon
 * cut into pieces comes back as one polygon joined along the square's edge (zero-width bridges,
 * which fill no pixel centre).
 */
final class SutherlandHodgman {

    private SutherlandHodgman() {}

    /** @return the clipped vertices, possibly fewer than three (nothing left) */
    static double[] clipToUnitSquare(double[] xy) {
        double[] out = xy;
        out = clip(out, 0, 0, false); // x >= 0
        out = clip(out, 0, 1, true); // x <= 1
        out = clip(out, 1, 0, false); // y >= 0
        out = clip(out, 1, 1, true); // y <= 1
        return out;
    }

    /** Keeps the side of {@code coordinate[axis] = bound} given by {@code upper} (at most the bound, or at least it). */
    private static double[] clip(double[] xy, int axis, double bound, boolean upper) {
        int n = xy.length / 2;
        if (n == 0) {
            return xy;
        }
        double[] out = new double[4 * n];
        int size = 0;
        for (int i = 0; i < n; i++) {
            int previous = (i + n - 1) % n;
            double pv = xy[2 * previous + axis];
            double cv = xy[2 * i + axis];
            boolean previousIn = upper ? pv <= bound : pv >= bound;
            boolean currentIn = upper ? cv <= bound : cv >= bound;
            if (currentIn != previousIn) {
                double t = (bound - pv) / (cv - pv);
                double px = xy[2 * previous];
                double py = xy[2 * previous + 1];
                double x = px + t * (xy[2 * i] - px);
                double y = py + t * (xy[2 * i + 1] - py);
                out[size++] = axis == 0 ? bound : x;
                out[size++] = axis == 1 ? bound : y;
            }
            if (currentIn) {
                out[size++] = xy[2 * i];
                out[size++] = xy[2 * i + 1];
            }
        }
        return Arrays.copyOf(out, size);
    }
}
