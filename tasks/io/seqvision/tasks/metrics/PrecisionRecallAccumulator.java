package io.seqvision.tasks.metrics;

import java.util.Arrays;
import java.util.List;

/** COCOeval.accumulate for one category, area range and detection limit. */
final class PrecisionRecallAccumulator {

    /** numpy's spacing(1), added to COCO's precision denominator; kept so values agree bit for bit. */
    private static final double EPSILON = Math.ulp(1.0);

    private PrecisionRecallAccumulator() {}

    /**
     * Per-IoU-threshold results of one category.
     *
     * @param averagePrecision {@code [threshold]}: mean interpolated precision over the 101 recall
     *     thresholds
     * @param recall {@code [threshold]}: recall reached with all kept detections
     */
    record CategoryCurve(double[] averagePrecision, double[] recall) {}

    /**
     * @param images matches of this category on every image (in ascending image id) that has a
     *     ground truth or a detection of it
     * @param maxDetections how many top detections per image take part
     * @return the curve, or null when no ground truth counts (COCO's -1: the category is left
     *     out of the averages)
     */
    static CategoryCurve accumulate(List<ImageMatch> images, int maxDetections) {
        int counted = 0;
        int total = 0;
        for (ImageMatch image : images) {
            counted += image.countedGroundTruths;
            total += Math.min(maxDetections, image.scores.length);
        }
        if (counted == 0) {
            return null;
        }
        int[] imageOf = new int[total];
        int[] detectionOf = new int[total];
        Integer[] rank = new Integer[total];
        double[] scores = new double[total];
        int next = 0;
        for (int i = 0; i < images.size(); i++) {
            int kept = Math.min(maxDetections, images.get(i).scores.length);
            for (int d = 0; d < kept; d++) {
                imageOf[next] = i;
                detectionOf[next] = d;
                scores[next] = images.get(i).scores[d];
                rank[next] = next;
                next++;
            }
        }
        // Arrays.sort on objects is stable, matching COCO's mergesort: equal scores keep image order.
        Arrays.sort(rank, (a, b) -> scores[a] == scores[b] ? 0 : (scores[a] > scores[b] ? -1 : 1));

        int thresholdCount = CocoParams.IOU_THRESHOLDS.length;
        double[] averagePrecision = new double[thresholdCount];
        double[] recall = new double[thresholdCount];
        double[] recallAt = new double[total];
        double[] precisionAt = new double[total];
        for (int t = 0; t < thresholdCount; t++) {
            int truePositives = 0;
            int falsePositives = 0;
            for (int i = 0; i < total; i++) {
                int entry = rank[i];
                byte outcome = images.get(imageOf[entry]).outcomes[t][detectionOf[entry]];
                if (outcome == ImageMatch.TRUE_POSITIVE) {
                    truePositives++;
                } else if (outcome == ImageMatch.FALSE_POSITIVE) {
                    falsePositives++;
                }
                recallAt[i] = (double) truePositives / counted;
                precisionAt[i] = truePositives / ((double) falsePositives + truePositives + EPSILON);
            }
            recall[t] = total > 0 ? recallAt[total - 1] : 0;
            averagePrecision[t] = interpolatedAveragePrecision(recallAt, precisionAt, total);
        }
        return new CategoryCurve(averagePrecision, recall);
    }

    /**
     * Makes precision non-increasing from the right (in place), then samples it at each recall
     * threshold at the first rank reaching that recall (numpy searchsorted side='left'); recall
     * levels never reached contribute precision 0.
     */
    private static double interpolatedAveragePrecision(double[] recallAt, double[] precisionAt, int count) {
        for (int i = count - 1; i > 0; i--) {
            if (precisionAt[i] > precisionAt[i - 1]) {
                precisionAt[i - 1] = precisionAt[i];
            }
        }
        double sum = 0;
        int position = 0;
        for (double threshold : CocoParams.RECALL_THRESHOLDS) {
            while (position < count && recallAt[position] < threshold) {
                position++;
            }
            if (position == count) {
                break;
            }
            sum += precisionAt[position];
        }
        return sum / CocoParams.RECALL_THRESHOLDS.length;
    }
}
