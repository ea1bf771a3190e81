package io.seqvision.tasks.metrics;

/**
 * What COCOeval needs of a ground-truth annotation besides the shape it compares: where it lies,
 * its {@code area} field (the size bucket) and whether it is a crowd region.
 */
interface CocoGroundTruth {

    long imageId();

    int categoryId();

    /** The annotation's {@code area} field; decides the small/medium/large bucket. */
    double area();

    /** COCO's {@code iscrowd}: may absorb any number of detections. */
    boolean crowd();

    /**
     * COCOeval's {@code ignore} flag: never counted as a miss, and detections matched to it are
     * neither true nor false positives. Crowd regions by default.
     */
    default boolean ignored() {
        return crowd();
    }
}
