package io.seqvision.tasks.metrics;

/**
 * One detection to score, as in a COCO results file. Its size bucket uses the box area
 * {@code width * height} ({@link #area()}), as pycocotools' loadRes does.
 *
 * @param imageId image the detection was made on
 * @param categoryId predicted class
 * @param x left edge in pixels
 * @param y top edge in pixels
 * @param width box width in pixels, {@code >= 0}
 * @param height box height in pixels, {@code >= 0}
 * @param score confidence; any finite value (only the ranking matters)
 */
public record DetectionBox(long imageId, int categoryId, double x, double y, double width, double height, double score)
        implements CocoDetection {

    public DetectionBox {
        String where = "DetectionBox(imageId=" + imageId + ", categoryId=" + categoryId + ")";
        FieldChecks.requireFinite(where, "x", x);
        FieldChecks.requireFinite(where, "y", y);
        FieldChecks.requireNonNegative(where, "width", width);
        FieldChecks.requireNonNegative(where, "height", height);
        FieldChecks.requireFinite(where, "score", score);
    }

    @Override
    public double area() {
        return width * height;
    }
}
