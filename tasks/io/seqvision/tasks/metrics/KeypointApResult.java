package io.seqvision.tasks.metrics;

/**
 * COCO's ten keypoint summary numbers, in the order of COCOeval.stats for iouType 'keypoints'.
 * Each lies in [0, 1], or is -1 when no category has a counted ground truth for that setting.
 * Unless named otherwise a value averages over the OKS thresholds 0.50:0.05:0.95 and all areas,
 * always with at most 20 detections per image and category.
 *
 * @param ap AP@[.50:.95], the headline number
 * @param ap50 AP at OKS 0.50
 * @param ap75 AP at OKS 0.75
 * @param apMedium AP for people with area in [32², 96²]
 * @param apLarge AP for people with area at least 96²
 * @param ar recall averaged over the OKS thresholds
 * @param ar50 recall at OKS 0.50
 * @param ar75 recall at OKS 0.75
 * @param arMedium recall for medium people
 * @param arLarge recall for large people
 */
public record KeypointApResult(
        double ap,
        double ap50,
        double ap75,
        double apMedium,
        double apLarge,
        double ar,
        double ar50,
        double ar75,
        double arMedium,
        double arLarge) {

    /** The values in COCOeval.stats order. */
    public double[] stats() {
        return new double[] {ap, ap50, ap75, apMedium, apLarge, ar, ar50, ar75, arMedium, arLarge};
    }

    /** The ten lines COCOeval.summarize prints, joined by newlines. */
    public String format() {
        return CocoStat.format(CocoStat.KEYPOINTS, stats());
    }

    @Override
    public String toString() {
        return format();
    }

    /** From COCOeval.stats order. */
    static KeypointApResult fromStats(double[] v) {
        return new KeypointApResult(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9]);
    }
}
