package io.seqvision.tasks.data.shapes;

import java.awt.geom.Area;
import java.awt.geom.Path2D;
import java.awt.geom.PathIterator;
import java.util.List;

/** Builders and measures of polygons stored as flat {@code [x1, y1, x2, y2, ...]} arrays in pixel units. */
final class Polygons {

    private Polygons() {}

    /** Regular n-gon with circumradius {@code radius}, first vertex at angle {@code rotation}. */
    static double[] regular(double cx, double cy, double radius, int sides, double rotation) {
        double[] xy = new double[2 * sides];
        for (int i = 0; i < sides; i++) {
            double angle = rotation + 2 * Math.PI * i / sides;
            xy[2 * i] = cx + radius * Math.cos(angle);
            xy[2 * i + 1] = cy + radius * Math.sin(angle);
        }
        return xy;
    }

    /** Star with {@code points} tips on radius {@code outer} alternating with notches on radius {@code inner}. */
    static double[] star(double cx, double cy, double outer, double inner, int points, double rotation) {
        double[] xy = new double[4 * points];
        for (int i = 0; i < 2 * points; i++) {
            double radius = i % 2 == 0 ? outer : inner;
            double angle = rotation + Math.PI * i / points;
            xy[2 * i] = cx + radius * Math.cos(angle);
            xy[2 * i + 1] = cy + radius * Math.sin(angle);
        }
        return xy;
    }

    /**
     * Stadium shape around the segment (x1,y1)-(x2,y2): a rectangle of half-width {@code halfWidth} closed by
     * two half-discs, each approximated by {@code arcSegments} chords. Convex, {@code 2 * (arcSegments + 1)}
     * vertices.
     */
    static double[] capsule(double x1, double y1, double x2, double y2, double halfWidth, int arcSegments) {
        double length = Math.hypot(x2 - x1, y2 - y1);
        double dx = length > 1e-9 ? (x2 - x1) / length : 1;
        double dy = length > 1e-9 ? (y2 - y1) / length : 0;
        double nx = -dy;
        double ny = dx;
        int perArc = arcSegments + 1;
        double[] xy = new double[4 * perArc];
        for (int i = 0; i < perArc; i++) {
            double phi = Math.PI * i / arcSegments;
            double c = Math.cos(phi) * halfWidth;
            double s = Math.sin(phi) * halfWidth;
            xy[2 * i] = x2 + c * nx + s * dx;
            xy[2 * i + 1] = y2 + c * ny + s * dy;
            xy[2 * (i + perArc)] = x1 - c * nx - s * dx;
            xy[2 * (i + perArc) + 1] = y1 - c * ny - s * dy;
        }
        return xy;
    }

    /** Shifts every vertex by (dx, dy) and rounds it to 1/100 px so that JSON and raster agree exactly. */
    static double[] translateAndRound(double[] xy, double dx, double dy) {
        double[] out = new double[xy.length];
        for (int i = 0; i < xy.length; i += 2) {
            out[i] = round2(xy[i] + dx);
            out[i + 1] = round2(xy[i + 1] + dy);
        }
        return out;
    }

    static double round2(double value) {
        return Math.round(value * 100.0) / 100.0;
    }

    /** @return {minX, minY, maxX, maxY} over all vertices of all polygons */
    static double[] bounds(List<double[]> polygons) {
        double[] b = {Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (double[] xy : polygons) {
            for (int i = 0; i < xy.length; i += 2) {
                b[0] = Math.min(b[0], xy[i]);
                b[1] = Math.min(b[1], xy[i + 1]);
                b[2] = Math.max(b[2], xy[i]);
                b[3] = Math.max(b[3], xy[i + 1]);
            }
        }
        return b;
    }

    /** Shoelace area of a simple polygon. */
    static double area(double[] xy) {
        double twice = 0;
        int n = xy.length / 2;
        for (int i = 0; i < n; i++) {
            int j = (i + 1) % n;
            twice += xy[2 * i] * xy[2 * j + 1] - xy[2 * j] * xy[2 * i + 1];
        }
        return Math.abs(twice) / 2;
    }

    static Path2D.Double path(double[] xy) {
        Path2D.Double path = new Path2D.Double(Path2D.WIND_NON_ZERO, xy.length / 2);
        path.moveTo(xy[0], xy[1]);
        for (int i = 2; i < xy.length; i += 2) {
            path.lineTo(xy[i], xy[i + 1]);
        }
        path.closePath();
        return path;
    }

    /**
     * Exact area of the union of (possibly overlapping) polygons: the union's outline, from
     * {@link java.awt.geom.Area}, consists of straight edges only; its sub-paths wind one way for outer
     * boundaries and the other way for holes, so the signed shoelace sum over them is the union's area.
     */
    static double unionArea(List<double[]> polygons) {
        Area union = new Area();
        for (double[] xy : polygons) {
            union.add(new Area(path(xy)));
        }
        double signedTwice = 0;
        double[] segment = new double[6];
        double startX = 0;
        double startY = 0;
        double lastX = 0;
        double lastY = 0;
        for (PathIterator it = union.getPathIterator(null); !it.isDone(); it.next()) {
            switch (it.currentSegment(segment)) {
                case PathIterator.SEG_MOVETO -> {
                    startX = segment[0];
                    startY = segment[1];
                    lastX = startX;
                    lastY = startY;
                }
                case PathIterator.SEG_LINETO -> {
                    signedTwice += lastX * segment[1] - segment[0] * lastY;
                    lastX = segment[0];
                    lastY = segment[1];
                }
                case PathIterator.SEG_CLOSE -> {
                    signedTwice += lastX * startY - startX * lastY;
                    lastX = startX;
                    lastY = startY;
                }
                default -> throw new IllegalStateException("polygon union produced a curve segment");
            }
        }
        return Math.abs(signedTwice) / 2;
    }
}
