package io.seqvision.tasks.metrics;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;

/**
 * COCO's twelve box-detection summary numbers, in the order of COCOeval.stats. Each lies in
 * [0, 1], or is -1 when no category has a counted ground truth for that setting (for example
 * apSmall on a data set without small objects). Unless named otherwise a value averages over the
 * IoU thresholds 0.50:0.05:0.95, all areas and at most 100 detections per image and category.
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
        return String.join("\n",
                line(true, "0.50:0.95", "all", 100, ap),
                line(true, "0.50", "all", 100, ap50),
                line(true, "0.75", "all", 100, ap75),
                line(true, "0.50:0.95", "small", 100, apSmall),
                line(true, "0.50:0.95", "medium", 100, apMedium),
                line(true, "0.50:0.95", "large", 100, apLarge),
                line(false, "0.50:0.95", "all", 1, ar1),
                line(false, "0.50:0.95", "all", 10, ar10),
                line(false, "0.50:0.95", "all", 100, ar100),
                line(false, "0.50:0.95", "small", 100, arSmall),
                line(false, "0.50:0.95", "medium", 100, arMedium),
                line(false, "0.50:0.95", "large", 100, arLarge));
    }

    @Override
    public String toString() {
        return format();
    }

    private static String line(boolean precision, String iou, String area, int maxDetections, double value) {
        // Python rounds the exact binary value half-to-even; BigDecimal(double) is exact too.
        String rounded = new BigDecimal(value).setScale(3, RoundingMode.HALF_EVEN).toPlainString();
        return String.format(Locale.ROOT, " %-18s %s @[ IoU=%-9s | area=%6s | maxDets=%3d ] = %s",
                precision ? "Average Precision" : "Average Recall", precision ? "(AP)" : "(AR)",
                iou, area, maxDetections, rounded);
    }
}
