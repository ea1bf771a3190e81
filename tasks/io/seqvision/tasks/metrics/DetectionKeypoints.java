package io.seqvision.tasks.metrics;

import java.util.Arrays;

/**
 * One keypoint result, as in a COCO results file.
 *
 * @param imageId image the person was found in
 * @param categoryId the person class (COCO: 1)
 * @param keypoints 51 values, {@code x, y, v} for each of the 17 COCO keypoints in pixels; every
 *     point takes part in OKS, and {@code v} is not used (COCO results often carry a score there),
 *     but all values must be finite. Copied.
 * @param score confidence; any finite value (only the ranking matters)
 */
public record DetectionKeypoints(long imageId, int categoryId, double[] keypoints, double score)
        implements CocoDetection {

    public DetectionKeypoints {
        String where = "DetectionKeypoints(imageId=" + imageId + ", categoryId=" + categoryId + ")";
        keypoints = KeypointChecks.requireKeypoints(where, keypoints, false);
        FieldChecks.requireFinite(where, "score", score);
    }

    /** A copy of the 51 values. */
    @Override
    public double[] keypoints() {
        return keypoints.clone();
    }

    /**
     * The area of the points' bounding box, {@code (max x - min x) * (max y - min y)} over all 17,
     * as pycocotools' loadRes computes it; decides the bucket of an unmatched detection.
     */
    @Override
    public double area() {
        double minX = Double.POSITIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY;
        double minY = Double.POSITIVE_INFINITY;
        double maxY = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < keypoints.length; i += 3) {
            minX = Math.min(minX, keypoints[i]);
            maxX = Math.max(maxX, keypoints[i]);
            minY = Math.min(minY, keypoints[i + 1]);
            maxY = Math.max(maxY, keypoints[i + 1]);
        }
        return (maxX - minX) * (maxY - minY);
    }

    double keypoint(int index, int component) {
        return keypoints[3 * index + component];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DetectionKeypoints d && d.imageId == imageId && d.categoryId == categoryId
                && Arrays.equals(d.keypoints, keypoints) && Double.compare(d.score, score) == 0;
    }

    @Override
    public int hashCode() {
        return (Long.hashCode(imageId) * 31 + categoryId) * 31 + Arrays.hashCode(keypoints) + Double.hashCode(score);
    }

    @Override
    public String toString() {
        return "DetectionKeypoints[imageId=" + imageId + ", categoryId=" + categoryId + ", keypoints="
                + Arrays.toString(keypoints) + ", score=" + score + "]";
    }
}
