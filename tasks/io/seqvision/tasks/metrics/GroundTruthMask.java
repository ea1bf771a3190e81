package io.seqvision.tasks.metrics;

import io.seqvision.tokenizers.BinaryMask;
import java.util.Objects;

/**
 * One COCO ground-truth annotation for mask evaluation.
 *
 * @param imageId image the object lies in
 * @param categoryId object class
 * @param mask the object's pixels at the image's original size
 * @param area the annotation's {@code area} field (COCO stores the polygon's area, close to but
 *     not always equal to the mask's pixel count); decides the small/medium/large bucket,
 *     {@code >= 0}
 * @param crowd COCO's {@code iscrowd}: the region is never counted as a miss, and any number of
 *     detections inside it are ignored rather than counted as false positives
 */
public record GroundTruthMask(long imageId, int categoryId, RunLengthMask mask, double area, boolean crowd)
        implements CocoGroundTruth {

    public GroundTruthMask {
        String where = "GroundTruthMask(imageId=" + imageId + ", categoryId=" + categoryId + ")";
        Objects.requireNonNull(mask, () -> where + ": mask is null");
        FieldChecks.requireNonNegative(where, "area", area);
    }

    /** A non-crowd annotation whose area is its mask's pixel count. */
    public static GroundTruthMask of(long imageId, int categoryId, BinaryMask mask) {
        RunLengthMask runs = RunLengthMask.of(mask);
        return new GroundTruthMask(imageId, categoryId, runs, runs.area(), false);
    }
}
