package io.seqvision.tasks.data.shapes;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Lays out one image: its size, backdrop, and non-overlapping objects (bounding boxes may touch but never
 * intersect, so every annotation is fully visible), each in a colour that stands out from the backdrop.
 */
final class ScenePlanner {

    /** Placement tries per object; the object shrinks towards its smallest size as tries fail. */
    static final int PLACEMENT_ATTEMPTS = 60;
    /** Shape size as a fraction of the shorter image side (diameter of the circumscribed circle). */
    static final double MIN_SHAPE = 0.15;
    static final double MAX_SHAPE = 0.45;
    /** A person's height as a fraction of the shorter side: a limb-and-keypoint figure needs more room. */
    static final double MIN_PERSON = 0.30;
    static final double MAX_PERSON = 0.60;
    /** Least RGB distance between an object's colour and the backdrop under its box, when attainable. */
    static final double MIN_CONTRAST = 100;
    /** Largest object (shape size or person height) as a fraction of the shorter side, whatever the scale. */
    static final double MAX_OBJECT = 0.95;
    /** Keeps boxes half a pixel inside the image so that rounding never pushes them out. */
    private static final double MARGIN = 0.5;

    private ScenePlanner() {}

    static Scene plan(SplittableRandom rng, ShapesOptions options) {
        int width = rng.nextInt(options.minSize(), options.maxSize() + 1);
        int height = rng.nextInt(options.minSize(), options.maxSize() + 1);
        Background background = Background.random(rng, width, height);
        int wanted = rng.nextInt(options.minObjects(), options.maxObjects() + 1);
        List<SceneObject> objects = new ArrayList<>();
        // an object that finds no place is replaced by a fresh one (new shape and size), a bounded number of times
        for (int tries = 0; objects.size() < wanted && tries < 2 * wanted; tries++) {
            SceneObject object = place(rng, width, height, background, objects, options.objectScale());
            if (object != null) {
                objects.add(object);
            }
        }
        List<String> captions = Captions.write(rng, objects, background.kind, width, height);
        return new Scene(width, height, background, List.copyOf(objects), captions, wanted - objects.size());
    }

    private static SceneObject place(SplittableRandom rng, int width, int height, Background background,
            List<SceneObject> placed, double scale) {
        ShapeCategory[] categories = ShapeCategory.values();
        ShapeCategory category = categories[rng.nextInt(categories.length)];
        double side = Math.min(width, height);
        boolean person = category == ShapeCategory.PERSON;
        double low = Math.min((person ? MIN_PERSON : MIN_SHAPE) * scale, MAX_OBJECT);
        double high = Math.min((person ? MAX_PERSON : MAX_SHAPE) * scale, MAX_OBJECT);
        double smallest = low * side;
        // at scale 1 the draw is the generator's draw before object_scale existed (same data, same seed)
        double drawn = (high > low ? rng.nextDouble(low, high) : low) * side;
        Outline unit = outline(rng, category, drawn);
        for (int attempt = 0; attempt < PLACEMENT_ATTEMPTS; attempt++) {
            double size = drawn - (drawn - smallest) * attempt / (PLACEMENT_ATTEMPTS - 1);
            Outline shape = unit.scaled(size / drawn);
            double[] b = Polygons.bounds(shape.polygons);
            double lowX = MARGIN - b[0];
            double highX = width - MARGIN - b[2];
            double lowY = MARGIN - b[1];
            double highY = height - MARGIN - b[3];
            if (highX < lowX || highY < lowY) {
                continue;
            }
            double dx = highX > lowX ? rng.nextDouble(lowX, highX) : lowX;
            double dy = highY > lowY ? rng.nextDouble(lowY, highY) : lowY;
            List<double[]> polygons = shape.polygons.stream()
                    .map(xy -> Polygons.translateAndRound(xy, dx, dy)).toList();
            double[] box = clippedBox(polygons, width, height);
            if (overlapsAny(box, placed)) {
                continue;
            }
            ShapeColor color = pickColor(rng, background, box);
            if (!person) {
                return new SceneObject(category, color, polygons, box, Polygons.area(polygons.get(0)), null,
                        List.of(), 0, new int[0], 0);
            }
            double[] keypoints = shape.keypoints.clone();
            for (int k = 0; k < StickFigure.KEYPOINTS; k++) {
                if (keypoints[3 * k + 2] > 0) {
                    keypoints[3 * k] = Polygons.round2(keypoints[3 * k] + dx);
                    keypoints[3 * k + 1] = Polygons.round2(keypoints[3 * k + 1] + dy);
                }
            }
            List<double[]> eyes = shape.eyes.stream().map(xy -> Polygons.translateAndRound(xy, dx, dy)).toList();
            int eyeRgb = color.luma() > 110 ? ShapeColor.BLACK.rgb() : ShapeColor.WHITE.rgb();
            return new SceneObject(category, color, polygons, box, Polygons.unionArea(polygons), keypoints, eyes,
                    eyeRgb, shape.farParts, shade(color.rgb(), eyeRgb));
        }
        return null;
    }

    /** The colour halfway from {@code rgb} towards {@code towards}: far limbs, told apart in any colour. */
    private static int shade(int rgb, int towards) {
        int mixed = 0;
        for (int shift = 0; shift <= 16; shift += 8) {
            int a = (rgb >> shift) & 0xff;
            int b = (towards >> shift) & 0xff;
            mixed |= ((a + b) / 2) << shift;
        }
        return mixed;
    }

    /** A shape centred near the origin, before placement. */
    private record Outline(List<double[]> polygons, double[] keypoints, List<double[]> eyes, int[] farParts) {

        Outline scaled(double factor) {
            double[] kp = null;
            if (keypoints != null) {
                kp = keypoints.clone();
                for (int i = 0; i < kp.length; i += 3) {
                    kp[i] *= factor;
                    kp[i + 1] *= factor;
                }
            }
            return new Outline(scaleAll(polygons, factor), kp, scaleAll(eyes, factor), farParts);
        }

        private static List<double[]> scaleAll(List<double[]> polygons, double factor) {
            List<double[]> out = new ArrayList<>(polygons.size());
            for (double[] xy : polygons) {
                double[] s = xy.clone();
                for (int i = 0; i < s.length; i++) {
                    s[i] *= factor;
                }
                out.add(s);
            }
            return out;
        }
    }

    private static Outline outline(SplittableRandom rng, ShapeCategory category, double size) {
        double radius = size / 2;
        double rotation = rng.nextDouble(2 * Math.PI);
        return switch (category) {
            case CIRCLE -> single(Polygons.regular(0, 0, radius, 32, 0));
            case SQUARE -> single(Polygons.regular(0, 0, radius, 4, rotation));
            case TRIANGLE -> single(Polygons.regular(0, 0, radius, 3, rotation));
            case STAR -> single(Polygons.star(0, 0, radius, 0.45 * radius, 5, rotation));
            case PERSON -> {
                StickFigure.Figure figure = StickFigure.build(rng, size);
                yield new Outline(figure.polygons(), figure.keypoints(), figure.eyes(), figure.farParts());
            }
        };
    }

    private static Outline single(double[] polygon) {
        return new Outline(List.of(polygon), null, List.of(), new int[0]);
    }

    /** {x, y, w, h} of the polygons' bounds, clipped to the image. */
    private static double[] clippedBox(List<double[]> polygons, int width, int height) {
        double[] b = Polygons.bounds(polygons);
        double x1 = Math.max(0, b[0]);
        double y1 = Math.max(0, b[1]);
        double x2 = Math.min(width, b[2]);
        double y2 = Math.min(height, b[3]);
        return new double[] {x1, y1, Polygons.round2(x2 - x1), Polygons.round2(y2 - y1)};
    }

    /** Strict intersection test: boxes that only share an edge do not overlap. */
    private static boolean overlapsAny(double[] box, List<SceneObject> placed) {
        for (SceneObject other : placed) {
            double[] o = other.bbox();
            if (box[0] < o[0] + o[2] && o[0] < box[0] + box[2] && box[1] < o[1] + o[3] && o[1] < box[1] + box[3]) {
                return true;
            }
        }
        return false;
    }

    /** Uniform among palette colours that contrast with the backdrop everywhere under the box, else the best. */
    private static ShapeColor pickColor(SplittableRandom rng, Background background, double[] box) {
        ShapeColor[] palette = ShapeColor.values();
        int[] under = background.colorsUnder(box);
        double[] contrast = new double[palette.length];
        int good = 0;
        for (int c = 0; c < palette.length; c++) {
            double least = Double.POSITIVE_INFINITY;
            for (int rgb : under) {
                least = Math.min(least, palette[c].distanceTo(rgb));
            }
            contrast[c] = least;
            if (least >= MIN_CONTRAST) {
                good++;
            }
        }
        if (good == 0) {
            int best = 0;
            for (int c = 1; c < palette.length; c++) {
                if (contrast[c] > contrast[best]) {
                    best = c;
                }
            }
            return palette[best];
        }
        int pick = rng.nextInt(good);
        for (int c = 0; c < palette.length; c++) {
            if (contrast[c] >= MIN_CONTRAST && pick-- == 0) {
                return palette[c];
            }
        }
        throw new AssertionError("unreachable");
    }
}
