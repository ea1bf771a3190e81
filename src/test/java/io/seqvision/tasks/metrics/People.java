package io.seqvision.tasks.metrics;

/** Short constructors for hand-written keypoint cases. */
final class People {

    private People() {}

    /** 51 values with every point unlabelled. */
    static double[] unlabelled() {
        return new double[51];
    }

    /** {@code points} with keypoint {@code index} set to {@code (x, y, v)}; returns the array. */
    static double[] with(double[] points, int index, double x, double y, int v) {
        points[3 * index] = x;
        points[3 * index + 1] = y;
        points[3 * index + 2] = v;
        return points;
    }

    /** A detection with all 17 points at one place. */
    static double[] allAt(double x, double y) {
        double[] points = new double[51];
        for (int i = 0; i < 17; i++) {
            with(points, i, x, y, 1);
        }
        return points;
    }

    /** Every point labelled (v = 2), spread over the box {@code (x, y, x + 16, y + 16)}. */
    static double[] labelledAt(double x, double y) {
        double[] points = new double[51];
        for (int i = 0; i < 17; i++) {
            with(points, i, x + i, y + 16 - i, 2);
        }
        return points;
    }

    static GroundTruthKeypoints person(long image, double[] points, double x, double y, double w, double h, double area) {
        return new GroundTruthKeypoints(image, 1, points, x, y, w, h, area, false);
    }

    static DetectionKeypoints guess(long image, double[] points, double score) {
        return new DetectionKeypoints(image, 1, points, score);
    }

    /** A detection with exactly the ground truth's points (unlabelled ones at 0, 0). */
    static DetectionKeypoints hit(GroundTruthKeypoints gt, double score) {
        return new DetectionKeypoints(gt.imageId(), gt.categoryId(), gt.keypoints(), score);
    }
}
