package io.seqvision.tasks.metrics;

import java.util.List;

/**
 * Greedy detection-to-ground-truth matching for one image and category, as COCOeval.evaluateImg,
 * whatever the similarity (box IoU, mask IoU, OKS). The similarity matrix is computed once by the
 * caller and reused for every area range and threshold.
 */
final class ImageCategoryMatcher {

    private final List<? extends CocoGroundTruth> groundTruths;
    private final List<? extends CocoDetection> rankedDetections;
    /** {@code [detection][groundTruth]} in ranked-detection and input ground-truth order. */
    private final double[][] similarity;

    /**
     * @param groundTruths this image's annotations of the category, in input order
     * @param rankedDetections this image's detections of the category, highest score first, already
     *     cut to the largest detection limit
     * @param similarity {@code [detection][groundTruth]}, {@code rankedDetections.size()} rows of
     *     {@code groundTruths.size()}
     */
    ImageCategoryMatcher(List<? extends CocoGroundTruth> groundTruths, List<? extends CocoDetection> rankedDetections,
            double[][] similarity) {
        this.groundTruths = groundTruths;
        this.rankedDetections = rankedDetections;
        this.similarity = similarity;
    }

    ImageMatch match(AreaRange range) {
        int[] gtOrder = ignoredLast(range);
        int gtCount = gtOrder.length;
        boolean[] gtIgnored = new boolean[gtCount];
        boolean[] gtCrowd = new boolean[gtCount];
        int counted = 0;
        for (int k = 0; k < gtCount; k++) {
            CocoGroundTruth gt = groundTruths.get(gtOrder[k]);
            gtIgnored[k] = isIgnored(gt, range);
            gtCrowd[k] = gt.crowd();
            counted += gtIgnored[k] ? 0 : 1;
        }

        int detCount = rankedDetections.size();
        double[] scores = new double[detCount];
        for (int d = 0; d < detCount; d++) {
            scores[d] = rankedDetections.get(d).score();
        }
        double[] thresholds = CocoParams.IOU_THRESHOLDS;
        byte[][] outcomes = new byte[thresholds.length][detCount];
        for (int t = 0; t < thresholds.length; t++) {
            boolean[] gtTaken = new boolean[gtCount];
            for (int d = 0; d < detCount; d++) {
                int match = bestMatch(d, Math.min(thresholds[t], CocoParams.MAX_IOU_THRESHOLD),
                        gtOrder, gtIgnored, gtCrowd, gtTaken);
                if (match >= 0) {
                    gtTaken[match] = true;
                    outcomes[t][d] = gtIgnored[match] ? ImageMatch.IGNORED : ImageMatch.TRUE_POSITIVE;
                } else if (!range.contains(rankedDetections.get(d).area())) {
                    outcomes[t][d] = ImageMatch.IGNORED;
                } else {
                    outcomes[t][d] = ImageMatch.FALSE_POSITIVE;
                }
            }
        }
        return new ImageMatch(scores, outcomes, counted);
    }

    /**
     * Index into {@code gtOrder} of the ground truth detection {@code d} matches, or -1. Ties in
     * similarity go to the later ground truth, and once a counted one is matched the ignored ones
     * (sorted last) are not considered: both as in COCOeval.
     */
    private int bestMatch(int d, double minSimilarity, int[] gtOrder, boolean[] gtIgnored, boolean[] gtCrowd,
            boolean[] gtTaken) {
        double best = minSimilarity;
        int match = -1;
        for (int k = 0; k < gtOrder.length; k++) {
            if (gtTaken[k] && !gtCrowd[k]) {
                continue;
            }
            if (match >= 0 && !gtIgnored[match] && gtIgnored[k]) {
                break;
            }
            double overlap = similarity[d][gtOrder[k]];
            if (overlap < best) {
                continue;
            }
            best = overlap;
            match = k;
        }
        return match;
    }

    private static boolean isIgnored(CocoGroundTruth gt, AreaRange range) {
        return gt.ignored() || !range.contains(gt.area());
    }

    /** Ground-truth indices with counted ones first, each group in input order (stable). */
    private int[] ignoredLast(AreaRange range) {
        int[] order = new int[groundTruths.size()];
        int next = 0;
        for (int g = 0; g < groundTruths.size(); g++) {
            if (!isIgnored(groundTruths.get(g), range)) {
                order[next++] = g;
            }
        }
        for (int g = 0; g < groundTruths.size(); g++) {
            if (isIgnored(groundTruths.get(g), range)) {
                order[next++] = g;
            }
        }
        return order;
    }
}
