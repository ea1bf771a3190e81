package io.seqvision.tasks.metrics;

import io.seqvision.tokenizers.CocoKeypoints;
import java.util.Objects;

/** Validation of COCO's flat {@code x, y, v} keypoint arrays. */
final class KeypointChecks {

    static final int VALUES = 3 * CocoKeypoints.COUNT;

    private KeypointChecks() {}

    /**
     * @param labels true for ground truths: visibility must be 0, 1 or 2; for detections it is
     *     ignored and only needs to be finite
     * @return a copy
     */
    static double[] requireKeypoints(String where, double[] keypoints, boolean labels) {
        Objects.requireNonNull(keypoints, () -> where + ": keypoints is null");
        if (keypoints.length != VALUES) {
            throw new IllegalArgumentException(where + ": keypoints must hold " + VALUES
                    + " values (x, y, v for each of the " + CocoKeypoints.COUNT + " COCO keypoints), got "
                    + keypoints.length);
        }
        for (int i = 0; i < VALUES; i++) {
            String field = "keypoints[" + i + "] (" + "xyv".charAt(i % 3) + " of " + CocoKeypoints.NAMES.get(i / 3) + ")";
            double value = keypoints[i];
            if (labels && i % 3 == 2) {
                if (value != 0 && value != 1 && value != 2) {
                    throw new IllegalArgumentException(where + ": " + field + " must be 0, 1 or 2, got " + value);
                }
            } else {
                FieldChecks.requireFinite(where, field, value);
            }
        }
        return keypoints.clone();
    }
}
