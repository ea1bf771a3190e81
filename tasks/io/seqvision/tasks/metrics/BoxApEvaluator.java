package io.seqvision.tasks.metrics;

import java.util.Collection;

/**
 * COCO box average precision, computed exactly as pycocotools' COCOeval with iouType 'bbox' and
 * default parameters: matching per image and category at IoU thresholds 0.50:0.05:0.95, at most
 * 100 detections per image and category, 101-point interpolated precision, averaged over the
 * categories that have at least one counted (non-crowd, in-range) ground truth.
 *
 * <p>IoU is box overlap over box union; for a crowd ground truth the overlap is divided by the
 * detection's area instead. Ground truths fall into size buckets by their {@code area} field,
 * unmatched detections by their box area.
 *
 * <p>Categories are those of the ground truths; detections of any other category, or on images
 * outside the evaluated set, are dropped, as COCOeval drops results that are not in its ground
 * truth file. Equal scores rank as in COCO: by ascending image id across images, by input order
 * within an image and category (which can decide which of them matches). The result is otherwise
 * independent of input order.
 */
public final class BoxApEvaluator {

    private BoxApEvaluator() {}

    /** Evaluates on the images that have at least one ground truth. */
    public static ApResult evaluate(Collection<GroundTruthBox> groundTruths, Collection<DetectionBox> detections) {
        return evaluate(groundTruths, detections, null);
    }

    /**
     * @param imageIds the images to evaluate, like COCOeval's params.imgIds (for COCO val2017 the
     *     images list of the annotation file, which includes images without objects: detections
     *     there are false positives); null means the images that have a ground truth
     */
    public static ApResult evaluate(
            Collection<GroundTruthBox> groundTruths, Collection<DetectionBox> detections, Collection<Long> imageIds) {
        return ApResult.fromStats(CocoEvaluation.summarize(
                groundTruths, detections, imageIds, BoxApEvaluator::boxIou, CocoStat.DETECTION));
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
}
