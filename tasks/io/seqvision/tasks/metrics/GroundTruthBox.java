package io.seqvision.tasks.metrics;

/**
 * One COCO ground-truth annotation for box evaluation.
 *
 * @param imageId image the object lies in
 * @param categoryId object class
 * @param x left edge in pixels
 * @param y top edge in pixels
 * @param width box width in pixels, {@code >= 0}
 * @param height box height in pixels, {@code >= 0}
 * @param area the annotation's {@code area} field (for COCO the segmentation area, not the box
 *     area); decides the small/medium/large bucket, {@code >= 0}
 * @param crowd COCO's {@code iscrowd}: the region is never counted as a miss, and any number of
 *     detections inside it are ignored rather than counted as false positives
 */
public record GroundTruthBox(
        long imageId,
        int categoryId,
        double x,
        double y,
        double width,
        double height,
        double area,
        boolean crowd) implements CocoGroundTruth {

    public GroundTruthBox {
        String where = "GroundTruthBox(imageId=" + imageId + ", categoryId=" + categoryId + ")";
        FieldChecks.requireFinite(where, "x", x);
        FieldChecks.requireFinite(where, "y", y);
        FieldChecks.requireNonNegative(where, "width", width);
        FieldChecks.requireNonNegative(where, "height", height);
        FieldChecks.requireNonNegative(where, "area", area);
    }

    /** A non-crowd annotation whose area is its box area. */
    public static GroundTruthBox of(
            long imageId, int categoryId, double x, double y, double width, double height) {
        return new GroundTruthBox(imageId, categoryId, x, y, width, height, width * height, false);
    }
}
