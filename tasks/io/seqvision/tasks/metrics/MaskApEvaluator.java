package io.seqvision.tasks.metrics;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * COCO mask average precision, computed as pycocotools' COCOeval with iouType 'segm' and default
 * parameters; the twelve numbers of {@link ApResult}.
 *
 * <p>Definitions, as pycocotools: the IoU of a detection's mask {@code D} and a ground truth's
 * mask {@code G} is {@code |D ∩ G| / |D ∪ G|} in pixels, or {@code |D ∩ G| / |D|} when the ground
 * truth is a crowd region; 0 when the intersection is empty (so an empty mask never matches).
 * Ground truths fall into the buckets small ({@code area <= 32²}), medium ({@code 32² <= area <=
 * 96²}) and large ({@code area >= 96²}) by their {@code area} field; an unmatched detection by
 * its pixel count. Matching is greedy by score per image and category at IoU thresholds
 * 0.50:0.05:0.95 with at most 100 detections per image and category; AP is the 101-point
 * interpolated precision averaged over thresholds and over the categories that have a counted
 * ground truth; ARk is the recall with at most k detections per image and category.
 *
 * <p>Scope (which images and categories count, and ranking of equal scores) is as in {@link
 * BoxApEvaluator}. All masks of one image, ground truths and detections, must have the same size.
 */
public final class MaskApEvaluator {

    private MaskApEvaluator() {}

    /** Evaluates on the images that have at least one ground truth. */
    public static ApResult evaluate(Collection<GroundTruthMask> groundTruths, Collection<DetectionMask> detections) {
        return evaluate(groundTruths, detections, null);
    }

    /**
     * @param imageIds the images to evaluate, like COCOeval's params.imgIds; detections on an
     *     evaluated image without objects are false positives; null means the images that have a
     *     ground truth
     * @throws IllegalArgumentException if two masks of one image differ in size, naming both
     */
    public static ApResult evaluate(
            Collection<GroundTruthMask> groundTruths, Collection<DetectionMask> detections, Collection<Long> imageIds) {
        Objects.requireNonNull(groundTruths, "groundTruths");
        Objects.requireNonNull(detections, "detections");
        requireOneSizePerImage(groundTruths, detections);
        return ApResult.fromStats(CocoEvaluation.summarize(
                groundTruths, detections, imageIds, MaskApEvaluator::maskIou, CocoStat.DETECTION));
    }

    /** pycocotools' rleIou for one pair. */
    static double maskIou(DetectionMask det, GroundTruthMask gt) {
        int intersection = det.mask().intersection(gt.mask());
        if (intersection == 0) {
            return 0;
        }
        double union = gt.crowd() ? det.mask().area() : (double) det.mask().area() + gt.mask().area() - intersection;
        return intersection / union;
    }

    private static void requireOneSizePerImage(
            Collection<GroundTruthMask> groundTruths, Collection<DetectionMask> detections) {
        Map<Long, String> firstSeen = new HashMap<>();
        int index = 0;
        for (GroundTruthMask gt : groundTruths) {
            CocoEvaluation.requireElement(gt, "groundTruths", index);
            requireSize(firstSeen, gt.imageId(), gt.mask(), "groundTruths[" + index++ + "]");
        }
        index = 0;
        for (DetectionMask det : detections) {
            CocoEvaluation.requireElement(det, "detections", index);
            requireSize(firstSeen, det.imageId(), det.mask(), "detections[" + index++ + "]");
        }
    }

    private static void requireSize(Map<Long, String> firstSeen, long imageId, RunLengthMask mask, String name) {
        String size = mask.width() + " x " + mask.height();
        String first = firstSeen.putIfAbsent(imageId, size + " (" + name + ")");
        if (first != null && !first.startsWith(size + " ")) {
            throw new IllegalArgumentException("image " + imageId + ": masks differ in size: " + name + " is "
                    + size + ", an earlier mask of the image is " + first);
        }
    }
}
