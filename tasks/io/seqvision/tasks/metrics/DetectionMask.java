package io.seqvision.tasks.metrics;

import io.seqvision.tokenizers.BinaryMask;
import java.util.Objects;

/**
 * One instance-segmentation result, as in a COCO results file. Its size bucket uses the mask's
 * pixel count ({@link #area()}), as pycocotools' loadRes does for results that carry only a
 * segmentation.
 *
 * @param imageId image the detection was made on
 * @param categoryId predicted class
 * @param mask the predicted pixels at the image's original size
 * @param score confidence; any finite value (only the ranking matters)
 */
public record DetectionMask(long imageId, int categoryId, RunLengthMask mask, double score) implements CocoDetection {

    public DetectionMask {
        String where = "DetectionMask(imageId=" + imageId + ", categoryId=" + categoryId + ")";
        Objects.requireNonNull(mask, () -> where + ": mask is null");
        FieldChecks.requireFinite(where, "score", score);
    }

    public static DetectionMask of(long imageId, int categoryId, BinaryMask mask, double score) {
        return new DetectionMask(imageId, categoryId, RunLengthMask.of(mask), score);
    }

    /** The mask's pixel count. */
    @Override
    public double area() {
        return mask.area();
    }
}
