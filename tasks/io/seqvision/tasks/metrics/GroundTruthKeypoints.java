package io.seqvision.tasks.metrics;

import java.util.Arrays;

/**
 * One COCO person annotation for keypoint evaluation.
 *
 * @param imageId image the person is in
 * @param categoryId the person class (COCO: 1)
 * @param keypoints COCO's flat array of 51 values, {@code x, y, v} for each of the 17 keypoints in
 *     {@link io.seqvision.tokenizers.CocoKeypoints#NAMES} order, in pixels; {@code v} is 0 (not
 *     labelled: x and y are not used), 1 (labelled, occluded) or 2 (labelled, visible). Copied.
 * @param x left edge of the annotation's box in pixels
 * @param y top edge of the box
 * @param width box width, {@code >= 0}
 * @param height box height, {@code >= 0}
 * @param area the annotation's {@code area} field (COCO: the segmentation's area): the scale in
 *     OKS and the medium/large bucket, {@code >= 0}
 * @param crowd COCO's {@code iscrowd}
 */
public record GroundTruthKeypoints(
        long imageId,
        int categoryId,
        double[] keypoints,
        double x,
        double y,
        double width,
        double height,
        double area,
        boolean crowd) implements CocoGroundTruth {

    public GroundTruthKeypoints {
        String where = "GroundTruthKeypoints(imageId=" + imageId + ", categoryId=" + categoryId + ")";
        keypoints = KeypointChecks.requireKeypoints(where, keypoints, true);
        FieldChecks.requireFinite(where, "x", x);
        FieldChecks.requireFinite(where, "y", y);
        FieldChecks.requireNonNegative(where, "width", width);
        FieldChecks.requireNonNegative(where, "height", height);
        FieldChecks.requireNonNegative(where, "area", area);
    }

    /** A copy of the 51 values. */
    @Override
    public double[] keypoints() {
        return keypoints.clone();
    }

    /** COCO's {@code num_keypoints}: how many keypoints are labelled ({@code v > 0}). */
    public int numKeypoints() {
        int labelled = 0;
        for (int i = 2; i < keypoints.length; i += 3) {
            labelled += keypoints[i] > 0 ? 1 : 0;
        }
        return labelled;
    }

    /** COCOeval's ignore flag for keypoints: a crowd, or a person without labelled keypoints. */
    @Override
    public boolean ignored() {
        return crowd || numKeypoints() == 0;
    }

    double keypoint(int index, int component) {
        return keypoints[3 * index + component];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GroundTruthKeypoints g && g.imageId == imageId && g.categoryId == categoryId
                && Arrays.equals(g.keypoints, keypoints) && Double.compare(g.x, x) == 0
                && Double.compare(g.y, y) == 0 && Double.compare(g.width, width) == 0
                && Double.compare(g.height, height) == 0 && Double.compare(g.area, area) == 0 && g.crowd == crowd;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(new double[] {imageId, categoryId, x, y, width, height, area, crowd ? 1 : 0})
                * 31 + Arrays.hashCode(keypoints);
    }

    @Override
    public String toString() {
        return "GroundTruthKeypoints[imageId=" + imageId + ", categoryId=" + categoryId + ", keypoints="
                + Arrays.toString(keypoints) + ", box=(" + x + ", " + y + ", " + width + ", " + height
                + "), area=" + area + ", crowd=" + crowd + "]";
    }
}
