package io.seqvision.tokenizers;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Douglas-Peucker simplification of a closed polygon given as interleaved {@code x0, y0, x1, y1,
 * ...} in any units. The polygon is cut into two chains at vertex 0 and the vertex farthest from
 * it; each chain keeps a vertex when it lies more than {@code tolerance} from the segment its
 * kept neighbours span. At least three vertices survive (the two cut points and the vertex
 * farthest from the line through them), in their original order.
 */
public final class PolygonSimplifier {

    private PolygonSimplifier() {}

    /** The kept vertices, interleaved, a subset of the input in its order. */
    public static double[] simplify(double[] xy, double tolerance) {
        if (xy.length % 2 != 0) {
            throw new IllegalArgumentException("polygon needs x, y pairs, got " + xy.length + " values");
        }
        if (!(tolerance >= 0)) {
            throw new IllegalArgumentException("tolerance must be >= 0, got " + tolerance);
        }
        int n = xy.length / 2;
        if (n <= 3) {
            return xy.clone();
        }
        int far = 0;
        double farthest = -1;
        for (int i = 1; i < n; i++) {
            double d = Math.hypot(xy[2 * i] - xy[0], xy[2 * i + 1] - xy[1]);
            if (d > farthest) {
                farthest = d;
                far = i;
            }
        }
        boolean[] keep = new boolean[n];
        keep[0] = true;
        keep[far] = true;
        markChain(xy, 0, far, tolerance, keep);
        markChain(xy, far, n, tolerance, keep);
        int kept = 0;
        for (boolean k : keep) {
            kept += k ? 1 : 0;
        }
        if (kept < 3) {
            keep[farthestFromSegment(xy, 0, far, n)] = true;
            kept = 3;
        }
        double[] out = new double[2 * kept];
        int o = 0;
        for (int i = 0; i < n; i++) {
            if (keep[i]) {
                out[o++] = xy[2 * i];
                out[o++] = xy[2 * i + 1];
            }
        }
        return out;
    }

    /** Marks vertices of the chain {@code from..to} (index {@code n} means vertex 0 again). */
    private static void markChain(double[] xy, int from, int to, double tolerance, boolean[] keep) {
        int n = xy.length / 2;
        Deque<int[]> spans = new ArrayDeque<>();
        spans.push(new int[] {from, to});
        while (!spans.isEmpty()) {
            int[] span = spans.pop();
            if (span[1] - span[0] < 2) {
                continue;
            }
            int best = -1;
            double bestDistance = -1;
            for (int k = span[0] + 1; k < span[1]; k++) {
                double d = segmentDistance(xy, k % n, span[0] % n, span[1] % n);
                if (d > bestDistance) {
                    bestDistance = d;
                    best = k;
                }
            }
            if (bestDistance > tolerance) {
                keep[best % n] = true;
                spans.push(new int[] {span[0], best});
                spans.push(new int[] {best, span[1]});
            }
        }
    }

    /** The vertex other than {@code a} and {@code b} farthest from their segment. */
    private static int farthestFromSegment(double[] xy, int a, int b, int n) {
        int best = -1;
        double bestDistance = -1;
        for (int k = 0; k < n; k++) {
            if (k == a || k == b) {
                continue;
            }
            double d = segmentDistance(xy, k, a, b);
            if (d > bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        return best;
    }

    /** Distance from vertex {@code p} to the segment between vertices {@code a} and {@code b}. */
    static double segmentDistance(double[] xy, int p, int a, int b) {
        double ax = xy[2 * a];
        double ay = xy[2 * a + 1];
        double dx = xy[2 * b] - ax;
        double dy = xy[2 * b + 1] - ay;
        double px = xy[2 * p] - ax;
        double py = xy[2 * p + 1] - ay;
        double lengthSquared = dx * dx + dy * dy;
        double t = lengthSquared == 0 ? 0 : Math.max(0, Math.min(1, (px * dx + py * dy) / lengthSquared));
        return Math.hypot(px - t * dx, py - t * dy);
    }
}
