package io.seqvision.web.api;

import java.util.List;

/**
 * One object found in the image, with whatever the requested tasks added to it.
 *
 * @param index position in {@link Prediction#objects()}
 * @param score the probability of its class token, in (0, 1]
 * @param box its box in pixels of the uploaded image
 * @param mask segmentation: its polygons in pixels (several when the object is split); {@code
 *     null} when segmentation was not asked for
 * @param keypoints keypoints: the 17 COCO keypoints of a person in COCO order; {@code null} when
 *     not asked for or not a person
 * @param tokenSpans every token group that produced this object (its detection tokens, then its
 *     mask or keypoint sequences)
 */
public record PredictedObject(
        int index, String className, int classIndex, double score, Box box,
        List<List<Point>> mask, List<Keypoint> keypoints, List<TokenSpan> tokenSpans) {

    public PredictedObject {
        if (mask != null) {
            mask = mask.stream().map(List::copyOf).toList();
        }
        if (keypoints != null) {
            if (keypoints.size() != KeypointLayout.COCO.names().size()) {
                throw new IllegalArgumentException("a person has " + KeypointLayout.COCO.names().size()
                        + " keypoints, got " + keypoints.size());
            }
            keypoints = List.copyOf(keypoints);
        }
        tokenSpans = List.copyOf(tokenSpans);
    }

    /** An object with a box only (detection). */
    public static PredictedObject detected(
            int index, String className, int classIndex, double score, Box box, TokenSpan span) {
        return new PredictedObject(index, className, classIndex, score, box, null, null, List.of(span));
    }
}
