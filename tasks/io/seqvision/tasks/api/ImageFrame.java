package io.seqvision.tasks.api;

import io.seqvision.tokenizers.CocoKeypoints;
import io.seqvision.tokenizers.Keypoint;
import io.seqvision.tokenizers.NormalizedPolygon;
import io.seqvision.tokenizers.TokenBox;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;

/**
 * The image results are reported in: the one place decoded coordinates, normalised to [0, 1] by
 * the image's width and height (the model sees the image stretched to its square input), become
 * pixels of that image.
 *
 * @param width  the image's width in pixels, at least 1
 * @param height its height
 */
public record ImageFrame(int width, int height) {

    /** Reports results normalised to [0, 1], as DJL's {@code Rectangle} and {@code Joints} expect. */
    public static final ImageFrame UNIT = new ImageFrame(1, 1);

    public ImageFrame {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("image size must be positive, got " + width + "x" + height);
        }
    }

    /** The frame of an image's own pixels. */
    public static ImageFrame of(BufferedImage image) {
        return new ImageFrame(image.getWidth(), image.getHeight());
    }

    /** A decoded box with its class name, in this frame. */
    public Detection detection(TokenBox box, List<String> classNames) {
        return new Detection(classNames.get(box.classIndex()), box.classIndex(), box.score(),
                box.xmin() * width, box.ymin() * height, box.xmax() * width, box.ymax() * height);
    }

    /** A decoded polygon as {@code [x0, y0, x1, y1, ...]} in this frame. */
    public double[] polygon(NormalizedPolygon polygon) {
        double[] xy = polygon.xy();
        double[] pixels = new double[xy.length];
        for (int k = 0; k < xy.length; k += 2) {
            pixels[k] = xy[k] * width;
            pixels[k + 1] = xy[k + 1] * height;
        }
        return pixels;
    }

    /** Decoded polygons, each as {@link #polygon}. */
    public List<double[]> polygons(List<NormalizedPolygon> polygons) {
        List<double[]> pixels = new ArrayList<>(polygons.size());
        for (NormalizedPolygon polygon : polygons) {
            pixels.add(polygon(polygon));
        }
        return pixels;
    }

    /** A decoded pose (COCO's 17 keypoints in order) with COCO's names; unlabelled points at (0, 0). */
    public List<PosePoint> pose(List<Keypoint> keypoints) {
        List<PosePoint> points = new ArrayList<>(keypoints.size());
        for (int k = 0; k < keypoints.size(); k++) {
            Keypoint p = keypoints.get(k);
            points.add(new PosePoint(CocoKeypoints.NAMES.get(k), p.labelled() ? p.x() * width : 0,
                    p.labelled() ? p.y() * height : 0, p.labelled()));
        }
        return points;
    }
}
