package io.seqvision.tasks.metrics;

/** What COCOeval needs of a detection besides the shape it compares. */
interface CocoDetection {

    long imageId();

    int categoryId();

    /** Confidence; only the ranking matters. */
    double score();

    /** Size as pycocotools' loadRes computes it; an unmatched detection outside a bucket is ignored there. */
    double area();
}
