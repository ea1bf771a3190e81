package io.seqvision.tasks.metrics;

/** Short constructors for hand-written evaluation cases. */
final class Boxes {

    /** COCO's precision is tp / (tp + fp + 2.2e-16), so a perfect run scores 1 - 2.2e-16. */
    static final double TOLERANCE = 1e-12;

    private Boxes() {}

    static GroundTruthBox gt(long image, int category, double x, double y, double w, double h) {
        return GroundTruthBox.of(image, category, x, y, w, h);
    }

    static GroundTruthBox crowd(long image, int category, double x, double y, double w, double h) {
        return new GroundTruthBox(image, category, x, y, w, h, w * h, true);
    }

    static DetectionBox det(long image, int category, double x, double y, double w, double h, double score) {
        return new DetectionBox(image, category, x, y, w, h, score);
    }

    /** A detection with exactly the ground truth's box. */
    static DetectionBox hit(GroundTruthBox gt, double score) {
        return new DetectionBox(gt.imageId(), gt.categoryId(), gt.x(), gt.y(), gt.width(), gt.height(), score);
    }
}
