package io.seqvision.tasks.metrics;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Locale;

/**
 * One number of COCOeval.summarize: the mean, over categories (and over IoU thresholds unless one
 * is fixed), of the precision averaged over recall thresholds or of the recall reached, for one
 * area range and detection limit.
 *
 * @param precision AP when true, AR when false
 * @param threshold index into {@link CocoParams#IOU_THRESHOLDS}, or {@link #ALL_THRESHOLDS}
 */
record CocoStat(boolean precision, int threshold, AreaRange range, int maxDetections) {

    static final int ALL_THRESHOLDS = -1;

    /** The twelve numbers of iouType 'bbox' and 'segm', in COCOeval.stats order. */
    static final List<CocoStat> DETECTION = List.of(
            ap(ALL_THRESHOLDS, AreaRange.ALL, 100),
            ap(CocoParams.IOU_50, AreaRange.ALL, 100),
            ap(CocoParams.IOU_75, AreaRange.ALL, 100),
            ap(ALL_THRESHOLDS, AreaRange.SMALL, 100),
            ap(ALL_THRESHOLDS, AreaRange.MEDIUM, 100),
            ap(ALL_THRESHOLDS, AreaRange.LARGE, 100),
            ar(ALL_THRESHOLDS, AreaRange.ALL, 1),
            ar(ALL_THRESHOLDS, AreaRange.ALL, 10),
            ar(ALL_THRESHOLDS, AreaRange.ALL, 100),
            ar(ALL_THRESHOLDS, AreaRange.SMALL, 100),
            ar(ALL_THRESHOLDS, AreaRange.MEDIUM, 100),
            ar(ALL_THRESHOLDS, AreaRange.LARGE, 100));

    /** The ten numbers of iouType 'keypoints' (at most 20 detections), in COCOeval.stats order. */
    static final List<CocoStat> KEYPOINTS = List.of(
            ap(ALL_THRESHOLDS, AreaRange.ALL, 20),
            ap(CocoParams.IOU_50, AreaRange.ALL, 20),
            ap(CocoParams.IOU_75, AreaRange.ALL, 20),
            ap(ALL_THRESHOLDS, AreaRange.MEDIUM, 20),
            ap(ALL_THRESHOLDS, AreaRange.LARGE, 20),
            ar(ALL_THRESHOLDS, AreaRange.ALL, 20),
            ar(CocoParams.IOU_50, AreaRange.ALL, 20),
            ar(CocoParams.IOU_75, AreaRange.ALL, 20),
            ar(ALL_THRESHOLDS, AreaRange.MEDIUM, 20),
            ar(ALL_THRESHOLDS, AreaRange.LARGE, 20));

    private static CocoStat ap(int threshold, AreaRange range, int maxDetections) {
        return new CocoStat(true, threshold, range, maxDetections);
    }

    private static CocoStat ar(int threshold, AreaRange range, int maxDetections) {
        return new CocoStat(false, threshold, range, maxDetections);
    }

    /** The line COCOeval.summarize prints for this number. */
    String line(double value) {
        String iou = threshold == ALL_THRESHOLDS ? "0.50:0.95" : threshold == CocoParams.IOU_50 ? "0.50" : "0.75";
        // Python rounds the exact binary value half-to-even; BigDecimal(double) is exact too.
        String rounded = new BigDecimal(value).setScale(3, RoundingMode.HALF_EVEN).toPlainString();
        return String.format(Locale.ROOT, " %-18s %s @[ IoU=%-9s | area=%6s | maxDets=%3d ] = %s",
                precision ? "Average Precision" : "Average Recall", precision ? "(AP)" : "(AR)",
                iou, range.label, maxDetections, rounded);
    }

    /** The lines of a whole summary, joined by newlines. */
    static String format(List<CocoStat> stats, double[] values) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < stats.size(); i++) {
            text.append(i == 0 ? "" : "\n").append(stats.get(i).line(values[i]));
        }
        return text.toString();
    }
}
