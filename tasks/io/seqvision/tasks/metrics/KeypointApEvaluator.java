package io.seqvision.tasks.metrics;

import io.seqvision.tokenizers.CocoKeypoints;
import java.util.Collection;

/**
 * COCO keypoint average precision, computed as pycocotools' COCOeval with iouType 'keypoints' and
 * default parameters; the ten numbers of {@link KeypointApResult}.
 *
 * <p>Object keypoint similarity (COCOeval.computeOks) of a detection {@code d} and a ground truth
 * {@code g} with area {@code s}, per keypoint {@code i} with COCO's sigma {@code σ_i} ({@link
 * #SIGMAS}): {@code e_i = (dx_i² + dy_i²) / (2σ_i)² / (s + ε) / 2} with {@code ε = 2^-52}, and
 * {@code OKS = mean(exp(-e_i))} over the keypoints labelled in {@code g} ({@code v > 0}). When
 * {@code g} has no labelled keypoint, the mean runs over all 17 and {@code dx_i, dy_i} is the
 * detection point's distance outside the ground-truth box enlarged to three times its width and
 * height around its centre ({@code [x - w, x + 2w] × [y - h, y + 2h]}), zero inside.
 *
 * <p>Ground truths that are crowds or have no labelled keypoint are ignored (never a miss, and a
 * detection matched to one is neither a true nor a false positive). Buckets by the ground truth's
 * {@code area}: all, medium ({@code 32² <= area <= 96²}) and large ({@code area >= 96²}); an
 * unmatched detection falls in a bucket by the area of its points' bounding box. Matching is
 * greedy by score per image and category at OKS thresholds 0.50:0.05:0.95 with at most 20
 * detections per image and category; AP is the 101-point interpolated precision averaged over
 * thresholds and over the categories that have a counted ground truth. Scope (which images and
 * categories count, ranking of equal scores) is as in {@link BoxApEvaluator}.
 */
public final class KeypointApEvaluator {

    /** COCO's per-keypoint OKS constants, in {@link CocoKeypoints#NAMES} order. */
    static final double[] SIGMAS = {
        .26 / 10.0, .25 / 10.0, .25 / 10.0, .35 / 10.0, .35 / 10.0, .79 / 10.0, .79 / 10.0, .72 / 10.0,
        .72 / 10.0, .62 / 10.0, .62 / 10.0, 1.07 / 10.0, 1.07 / 10.0, .87 / 10.0, .87 / 10.0, .89 / 10.0, .89 / 10.0
    };

    /** {@code (2σ)²}, written as numpy computes {@code (sigmas * 2) ** 2}. */
    private static final double[] VARIANCES = new double[SIGMAS.length];

    static {
        for (int i = 0; i < SIGMAS.length; i++) {
            VARIANCES[i] = (SIGMAS[i] * 2) * (SIGMAS[i] * 2);
        }
    }

    private KeypointApEvaluator() {}

    /** Evaluates on the images that have at least one ground truth. */
    public static KeypointApResult evaluate(
            Collection<GroundTruthKeypoints> groundTruths, Collection<DetectionKeypoints> detections) {
        return evaluate(groundTruths, detections, null);
    }

    /**
     * @param imageIds the images to evaluate, like COCOeval's params.imgIds; detections on an
     *     evaluated image without people are false positives; null means the images that have a
     *     ground truth
     */
    public static KeypointApResult evaluate(Collection<GroundTruthKeypoints> groundTruths,
            Collection<DetectionKeypoints> detections, Collection<Long> imageIds) {
        return KeypointApResult.fromStats(CocoEvaluation.summarize(
                groundTruths, detections, imageIds, KeypointApEvaluator::oks, CocoStat.KEYPOINTS));
    }

    /** Object keypoint similarity as defined above, in [0, 1]. */
    public static double oks(DetectionKeypoints det, GroundTruthKeypoints gt) {
        int labelled = gt.numKeypoints();
        double scale = gt.area() + Math.ulp(1.0);
        double x0 = gt.x() - gt.width();
        double x1 = gt.x() + gt.width() * 2;
        double y0 = gt.y() - gt.height();
        double y1 = gt.y() + gt.height() * 2;
        double sum = 0;
        for (int i = 0; i < CocoKeypoints.COUNT; i++) {
            double xd = det.keypoint(i, 0);
            double yd = det.keypoint(i, 1);
            double dx;
            double dy;
            if (labelled > 0) {
                if (gt.keypoint(i, 2) == 0) {
                    continue;
                }
                dx = xd - gt.keypoint(i, 0);
                dy = yd - gt.keypoint(i, 1);
            } else {
                dx = Math.max(0, x0 - xd) + Math.max(0, xd - x1);
                dy = Math.max(0, y0 - yd) + Math.max(0, yd - y1);
            }
            double e = (dx * dx + dy * dy) / VARIANCES[i] / scale / 2;
            sum += Math.exp(-e);
        }
        return sum / (labelled > 0 ? labelled : CocoKeypoints.COUNT);
    }
}
