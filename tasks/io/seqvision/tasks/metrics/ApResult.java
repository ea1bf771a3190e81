package io.seqvision.tasks.metrics;

/**
 * COCO's twelve detection summary numbers (iouType 'bbox' or 'segm': IoU of boxes or of masks),
 * in the order of COCOeval.stats. Each lies in [0, 1], or is -1 when no category has a counted
 * ground truth for that setting (for example apSmall on a data set without small objects). Unless
 * named otherwise a value averages over the IoU thresholds 0.50:0.05:0.95, all areas and at most
 * 100 detections per image and category.
 *
 * @param ap AP@[.50:.95], COCO's headline number
 * @param ap50 AP at IoU 0.50
 * @param ap75 AP at IoU 0.75
 * @param apSmall AP for objects with area at most 32²
 * @param apMedium AP for objects with area in [32², 96²]
 * @param apLarge AP for objects with area at least 96²
 * @param ar1 recall with 1 detection per image and category
 * @param ar10 recall with 10 detections per image and category
 * @param ar100 recall with 100 detections per image and category
 * @param arSmall recall for small objects
 * @param arMedium recall for medium objects
 * @param arLarge recall for large objects
 */
public record ApResult(
        double ap,
        double ap50,
        double ap75,
        double apSmall,
        double apMedium,
        double apLarge,
        double ar1,
        double ar10,
        double ar100,
        double arSmall,
        double arMedium,
        double arLarge) {

    /** The values in COCOeval.stats order. */
    public double[] stats() {
        return new double[] {ap, ap50, ap75, apSmall, apMedium, apLarge, ar1, ar10, ar100, arSmall, arMedium, arLarge};
    }

    /** The twelve lines COCOeval.summarize prints, joined by newlines. */
    public String format() {
        return CocoStat.format(CocoStat.DETECTION, stats());
    }

    @Override
    public String toString() {
        return format();
    }

    /** From COCOeval.stats order. */
    static ApResult fromStats(double[] v) {
        return new ApResult(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11]);
    }
}
