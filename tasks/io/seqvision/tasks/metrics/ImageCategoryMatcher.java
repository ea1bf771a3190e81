package io.seqvision.tasks.metrics;

import java.util.ArrayList;
import java.util.List;

/**
 * Greedy detection-to-ground-truth matching for one image and category, as COCOeval.evaluateImg.
 * The IoU matrix is computed once and reused for every area range and IoU threshold.
 */
final class ImageCategoryMatcher {

    private final List<GroundTruthBox> groundTruths;
    private final List<DetectionBox> rankedDetections;
    /** {@code [detection][groundTruth]} in ranked-detection and input ground-truth order. */
    private final double[][] iou;

    /**
     * @param groundTruths this image's annotations of the category, in input order
     * @param detections this image's detections of the category, in input order; the highest
     *     scoring {@link CocoParams#largestMaxDetections()} are kept, ties keeping input order
     */
    ImageCategoryMatcher(List<GroundTruthBox> groundTruths, List<DetectionBox> detections) {
        this.groundTruths = groundTruths;
        List<DetectionBox> ranked = new ArrayList<>(detections);
        ranked.sort(ImageCategoryMatcher::byScoreDescending); // List.sort is stable, like mergesort
        this.rankedDetections = ranked.subList(0, Math.min(ranked.size(), CocoParams.largestMaxDetections()));
        this.iou = new double[rankedDetections.size()][groundTruths.size()];
        for (int d = 0; d < rankedDetections.size(); d++) {
            for (int g = 0; g < groundTruths.size(); g++) {
                iou[d][g] = boxIou(rankedDetections.get(d), groundTruths.get(g));
            }
        }
    }

    /** Compares by value so that 0.0 and -0.0 tie, as numpy's sort does. */
    static int byScoreDescending(DetectionBox a, DetectionBox b) {
        if (a.score() == b.score()) {
            return 0;
        }
        return a.score() > b.score() ? -1 : 1;
    }

    /**
     * pycocotools' bbIou: overlap over union, or over the detection's area for a crowd region
     * (a detection fully inside a crowd scores 1 however large the crowd is).
     */
    static double boxIou(DetectionBox det, GroundTruthBox gt) {
        double overlapWidth = Math.min(det.x() + det.width(), gt.x() + gt.width()) - Math.max(det.x(), gt.x());
        if (overlapWidth <= 0) {
            return 0;
        }
        double overlapHeight = Math.min(det.y() + det.height(), gt.y() + gt.height()) - Math.max(det.y(), gt.y());
        if (overlapHeight <= 0) {
            return 0;
        }
        double intersection = overlapWidth * overlapHeight;
        double detArea = det.width() * det.height();
        double union = gt.crowd() ? detArea : detArea + gt.width() * gt.height() - intersection;
        return intersection / union;
    }

    ImageMatch match(AreaRange range) {
        int[] gtOrder = ignoredLast(range);
        int gtCount = gtOrder.length;
        boolean[] gtIgnored = new boolean[gtCount];
        boolean[] gtCrowd = new boolean[gtCount];
        int counted = 0;
        for (int k = 0; k < gtCount; k++) {
            GroundTruthBox gt = groundTruths.get(gtOrder[k]);
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
     * IoU go to the later ground truth, and once a counted one is matched the ignored ones
     * (sorted last) are not considered: both as in COCOeval.
     */
    private int bestMatch(int d, double minIou, int[] gtOrder, boolean[] gtIgnored, boolean[] gtCrowd,
            boolean[] gtTaken) {
        double best = minIou;
        int match = -1;
        for (int k = 0; k < gtOrder.length; k++) {
            if (gtTaken[k] && !gtCrowd[k]) {
                continue;
            }
            if (match >= 0 && !gtIgnored[match] && gtIgnored[k]) {
                break;
            }
            double overlap = iou[d][gtOrder[k]];
            if (overlap < best) {
                continue;
            }
            best = overlap;
            match = k;
        }
        return match;
    }

    private static boolean isIgnored(GroundTruthBox gt, AreaRange range) {
        return gt.crowd() || !range.contains(gt.area());
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
