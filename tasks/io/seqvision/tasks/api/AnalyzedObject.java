package io.seqvision.tasks.api;

import java.util.List;

/**
 * One object with what each task said about it, in pixels of the image given.
 *
 * @param detection      its box, class and score
 * @param polygons       its mask as polygons, each {@code [x0, y0, x1, y1, ...]} (empty without segmentation)
 * @param keypoints      the 17 COCO keypoints (empty unless the keypoint task ran on it)
 * @param detectionSpan  {@code [first, end)} indices of its tokens in the detection response
 *     (empty when its box was given rather than detected)
 * @param maskTokens     its segmentation response tokens (empty without segmentation)
 * @param keypointTokens its keypoint response tokens (empty without keypoints)
 */
public record AnalyzedObject(Detection detection, List<double[]> polygons, List<PosePoint> keypoints,
        int[] detectionSpan, int[] maskTokens, int[] keypointTokens) {

    public AnalyzedObject {
        polygons = List.copyOf(polygons);
        keypoints = List.copyOf(keypoints);
    }
}
