package io.seqvision.tasks.data;

import io.seqvision.tokenizers.Keypoint;
import io.seqvision.tokenizers.NormalizedPolygon;
import io.seqvision.tokenizers.TokenBox;
import java.util.List;

/**
 * A square window around one object, in normalised image coordinates, which the mask and
 * keypoint tasks see instead of the whole image, as Pix2Seq v2 crops to the prompt box: the
 * object then fills the encoder's input, and its coordinates are quantised over the window, so a
 * small person gets the resolution a large one would.
 *
 * @param x0   left edge (may be negative: the window then pads)
 * @param y0   top edge
 * @param size side, in units of the image's width for x and of its height for y (the model's
 *     square input stretches the image, so a window square there is square in these units)
 */
public record ObjectCrop(double x0, double y0, double size) {

    /** Windows never get smaller than this, so tiny boxes are not magnified into mush. */
    public static final double MIN_SIZE = 0.08;

    /** The margin inference uses: the window is 1.4 times the box's longer side. */
    public static final double INFERENCE_ENLARGE = 1.4;

    public ObjectCrop {
        if (!(size > 0) || !Double.isFinite(x0) || !Double.isFinite(y0) || Double.isInfinite(size)) {
            throw new IllegalArgumentException("bad crop window (" + x0 + ", " + y0 + ") size " + size);
        }
    }

    /**
     * The window centred on the box (moved by {@code shiftX, shiftY} times its size), {@code
     * enlarge} times the box's longer side, at least {@link #MIN_SIZE}.
     */
    public static ObjectCrop around(TokenBox box, double enlarge, double shiftX, double shiftY) {
        double size = Math.max(MIN_SIZE, enlarge * Math.max(box.xmax() - box.xmin(), box.ymax() - box.ymin()));
        double cx = (box.xmin() + box.xmax()) / 2 + shiftX * size;
        double cy = (box.ymin() + box.ymax()) / 2 + shiftY * size;
        return new ObjectCrop(cx - size / 2, cy - size / 2, size);
    }

    /** The window as an augmentation of a {@code side x side} image (mirrored afterwards if {@code flip}). */
    public ImageTransform transform(int side, boolean flip) {
        return new ImageTransform(1 / size, x0 * side / size, y0 * side / size, flip);
    }

    /** A box of the image in window coordinates, clamped to the window. */
    public TokenBox toWindow(TokenBox b) {
        return new TokenBox(clamp((b.ymin() - y0) / size), clamp((b.xmin() - x0) / size),
                clamp((b.ymax() - y0) / size), clamp((b.xmax() - x0) / size), b.classIndex(), b.score());
    }

    public double imageX(double windowX) {
        return x0 + windowX * size;
    }

    public double imageY(double windowY) {
        return y0 + windowY * size;
    }

    /** Polygons in window coordinates back in the image's, clamped to it. */
    public List<NormalizedPolygon> toImage(List<NormalizedPolygon> polygons) {
        return polygons.stream().map(p -> {
            double[] xy = p.xy();
            double[] out = new double[xy.length];
            for (int k = 0; k < xy.length; k += 2) {
                out[k] = clamp(imageX(xy[k]));
                out[k + 1] = clamp(imageY(xy[k + 1]));
            }
            return new NormalizedPolygon(out);
        }).toList();
    }

    /** Keypoints in window coordinates back in the image's; unlabelled ones stay so. */
    public List<Keypoint> keypointsToImage(List<Keypoint> keypoints) {
        return keypoints.stream()
                .map(k -> k.labelled() ? new Keypoint(clamp(imageX(k.x())), clamp(imageY(k.y())), k.visibility()) : k)
                .toList();
    }

    private static double clamp(double v) {
        return Math.max(0, Math.min(1, v));
    }
}
