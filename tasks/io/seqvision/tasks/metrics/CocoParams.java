package io.seqvision.tasks.metrics;

/** The fixed evaluation settings shared by pycocotools' COCOeval iouTypes 'bbox', 'segm' and 'keypoints'. */
final class CocoParams {

    /** IoU (or OKS) thresholds 0.50:0.05:0.95; index 0 is 0.50 and index 5 is 0.75. */
    static final double[] IOU_THRESHOLDS = linspace(0.5, 0.95, 10);
    static final int IOU_50 = 0;
    static final int IOU_75 = 5;

    /** Recall thresholds 0:0.01:1 at which the precision envelope is sampled. */
    static final double[] RECALL_THRESHOLDS = linspace(0.0, 1.0, 101);

    /** Upper bound used by COCOeval so that an IoU of exactly 1 still matches at threshold 1. */
    static final double MAX_IOU_THRESHOLD = 1 - 1e-10;

    private CocoParams() {}

    /**
     * Reproduces numpy.linspace's arithmetic ({@code i * step + start}, last value forced to
     * {@code stop}) so thresholds are bit-identical to pycocotools: e.g. the 9th IoU threshold is
     * 0.8999999999999999, not 0.9, which decides whether an IoU of 0.9 counts as a match.
     */
    static double[] linspace(double start, double stop, int count) {
        double step = (stop - start) / (count - 1);
        double[] values = new double[count];
        for (int i = 0; i < count; i++) {
            values[i] = i * step + start;
        }
        values[count - 1] = stop;
        return values;
    }
}
