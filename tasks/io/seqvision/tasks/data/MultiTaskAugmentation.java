package io.seqvision.tasks.data;

import io.seqvision.tokenizers.CocoKeypoints;
import io.seqvision.tokenizers.Keypoint;
import io.seqvision.tokenizers.NormalizedPolygon;
import io.seqvision.tokenizers.TokenBox;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Pix2Seq-style augmentation of a {@link MultiTaskExample}, applied alike to the image and every
 * target: scale jitter with a random crop or pad, then horizontal flip ({@link ImageTransform}).
 *
 * <p>Pixels: the example's planar bytes go through {@link ImageInput#windowInto} (resampled,
 * normalised, padded with the mean colour) into a batch buffer of shape {@code (B, 3, side, side)}.
 *
 * <p>Targets, in normalised coordinates of the output window:
 * <ul>
 *   <li>boxes are transformed and clipped to [0, 1]; an object is dropped when its clipped box is
 *       under {@value #MIN_VISIBLE_PIXELS} output pixel wide or high, or when it had a mask and no
 *       polygon survives clipping;
 *   <li>polygons are clipped to the window (Sutherland-Hodgman against the unit square); those left
 *       with fewer than 3 vertices or no area are dropped;
 *   <li>keypoints outside the window become unlabelled; a flip swaps left and right ({@link
 *       CocoKeypoints#flipHorizontal});
 *   <li>area (in source pixels) is scaled by {@code scale^2} and by the visible fraction of the box,
 *       an approximation (used only for evaluation's area ranges);
 *   <li>captions: a flip swaps the words "left" and "right" (the shapes captions' "left of", "on the
 *       left", "at the top right"); a crop can still make a position word ("at the top", "in the
 *       centre") stale, which is left as is.
 * </ul>
 *
 * <p>Stateless: one instance may serve several threads, each with its own {@link Random}.
 */
public final class MultiTaskAugmentation {

    /** Least visible box side, in output pixels, for an object to be kept. */
    public static final double MIN_VISIBLE_PIXELS = 1.0;

    private static final Pattern LEFT_OR_RIGHT = Pattern.compile("\\b(left|right|Left|Right|LEFT|RIGHT)\\b");

    private final ImageInput input;
    private final int side;
    private final AugmentationOptions options;

    /**
     * @param input   the model's image input (side, normalisation), that of the examples' pixels
     * @param options scale range and flip
     */
    public MultiTaskAugmentation(ImageInput input, AugmentationOptions options) {
        if (input == null) {
            throw new IllegalArgumentException("image input is required");
        }
        if (options == null) {
            throw new IllegalArgumentException("augmentation options are required");
        }
        this.input = input;
        this.side = input.side();
        this.options = options;
    }

    public int side() {
        return side;
    }

    public AugmentationOptions options() {
        return options;
    }

    /**
     * Draws a transform from {@code random} ({@link ImageTransform#sample}) and applies it.
     *
     * @param batch (B, 3, side, side) normalised pixels; image {@code index} is overwritten
     */
    public AugmentedTargets apply(MultiTaskExample example, Random random, float[] batch, int index) {
        return apply(example, ImageTransform.sample(options, side, random), batch, index);
    }

    /** Applies a given transform: pixels into {@code batch} at {@code index}, and the transformed targets. */
    public AugmentedTargets apply(MultiTaskExample example, ImageTransform transform, float[] batch, int index) {
        if (example.pixels().length != 3 * side * side) {
            throw new IllegalArgumentException("image " + example.imageId() + " has " + example.pixels().length
                    + " bytes, expected 3 x " + side + " x " + side);
        }
        if (index < 0 || (long) (index + 1) * 3 * side * side > batch.length) {
            throw new IllegalArgumentException("batch of " + batch.length + " floats has no image " + index
                    + " of 3 x " + side + " x " + side);
        }
        input.windowInto(example.pixels(), transform, batch, index);
        List<AnnotatedObject> objects = new ArrayList<>();
        for (AnnotatedObject object : example.objects()) {
            AnnotatedObject moved = transform(object, transform);
            if (moved != null) {
                objects.add(moved);
            }
        }
        List<String> captions = transform.flip()
                ? example.captions().stream().map(MultiTaskAugmentation::swapLeftRight).toList()
                : example.captions();
        return new AugmentedTargets(objects, captions, transform);
    }

    /** The caption with the words "left" and "right" swapped (lower case, capitalised or upper case). */
    public static String swapLeftRight(String caption) {
        Matcher matcher = LEFT_OR_RIGHT.matcher(caption);
        StringBuilder out = new StringBuilder(caption.length() + 1);
        while (matcher.find()) {
            String word = matcher.group(1);
            String swapped = switch (word) {
                case "left" -> "right";
                case "right" -> "left";
                case "Left" -> "Right";
                case "Right" -> "Left";
                case "LEFT" -> "RIGHT";
                default -> "LEFT";
            };
            matcher.appendReplacement(out, swapped);
        }
        matcher.appendTail(out);
        return out.toString();
    }

    /** The object in the output window, or null when it is dropped. */
    private AnnotatedObject transform(AnnotatedObject object, ImageTransform t) {
        TokenBox box = object.box();
        double xmin = t.cropX(box.xmin(), side);
        double xmax = t.cropX(box.xmax(), side);
        double ymin = t.cropY(box.ymin(), side);
        double ymax = t.cropY(box.ymax(), side);
        double cxmin = clamp(xmin);
        double cxmax = clamp(xmax);
        double cymin = clamp(ymin);
        double cymax = clamp(ymax);
        double minVisible = MIN_VISIBLE_PIXELS / side;
        if (cxmax - cxmin < minVisible || cymax - cymin < minVisible) {
            return null;
        }
        List<NormalizedPolygon> polygons = new ArrayList<>(object.polygons().size());
        for (NormalizedPolygon polygon : object.polygons()) {
            NormalizedPolygon clipped = clip(polygon, t);
            if (clipped != null) {
                polygons.add(t.flip() ? clipped.flipHorizontal() : clipped);
            }
        }
        if (object.hasMask() && polygons.isEmpty()) {
            return null;
        }
        TokenBox moved = new TokenBox(cymin, cxmin, cymax, cxmax, box.classIndex(), box.score());
        List<Keypoint> keypoints = new ArrayList<>(object.keypoints().size());
        for (Keypoint k : object.keypoints()) {
            double x = t.cropX(k.x(), side);
            double y = t.cropY(k.y(), side);
            keypoints.add(k.labelled() && x >= 0 && x <= 1 && y >= 0 && y <= 1
                    ? new Keypoint(x, y, k.visibility()) : Keypoint.UNLABELLED);
        }
        if (t.flip()) {
            moved = moved.flipHorizontal();
            if (keypoints.size() == CocoKeypoints.COUNT) {
                keypoints = CocoKeypoints.flipHorizontal(keypoints);
            } else {
                keypoints = keypoints.stream().map(Keypoint::flipHorizontal).toList();
            }
        }
        double boxArea = (xmax - xmin) * (ymax - ymin);
        double visible = boxArea > 0 ? (cxmax - cxmin) * (cymax - cymin) / boxArea : 1;
        double area = object.area() * t.scale() * t.scale() * visible;
        return new AnnotatedObject(moved, polygons, keypoints, area);
    }

    /** The transformed polygon clipped to the unit square, or null if less than a triangle of it is left. */
    private NormalizedPolygon clip(NormalizedPolygon polygon, ImageTransform t) {
        int n = polygon.pointCount();
        double[] xy = new double[2 * n];
        for (int i = 0; i < n; i++) {
            xy[2 * i] = t.cropX(polygon.x(i), side);
            xy[2 * i + 1] = t.cropY(polygon.y(i), side);
        }
        double[] clipped = SutherlandHodgman.clipToUnitSquare(xy);
        if (clipped.length < 6) {
            return null;
        }
        for (int i = 0; i < clipped.length; i++) {
            clipped[i] = clamp(clipped[i]); // rounding of intersections
        }
        NormalizedPolygon result = new NormalizedPolygon(clipped);
        return result.area() > 0 ? result : null;
    }

    private static double clamp(double v) {
        return Math.max(0, Math.min(1, v));
    }
}
