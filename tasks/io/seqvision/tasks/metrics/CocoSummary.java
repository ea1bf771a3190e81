package io.seqvision.tasks.metrics;

import io.seqvision.tasks.metrics.PrecisionRecallAccumulator.CategoryCurve;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * COCOeval.accumulate and summarize: each summary number is the mean over categories (and IoU
 * thresholds where not fixed) of the valid per-category values; -1 when there is none.
 */
final class CocoSummary {

    private final List<CocoStat> stats;
    private final double[] sums;
    private final int[] counts;

    CocoSummary(List<CocoStat> stats) {
        this.stats = stats;
        this.sums = new double[stats.size()];
        this.counts = new int[stats.size()];
    }

    /** Adds one category, given its per-image matches for every area range the stats use. */
    void add(Map<AreaRange, List<ImageMatch>> matches) {
        // several numbers share a curve (AP and AR of one setting), so each is accumulated once
        Map<Setting, CategoryCurve> curves = new HashMap<>(); // a null curve is a valid entry
        for (int i = 0; i < stats.size(); i++) {
            CocoStat stat = stats.get(i);
            Setting setting = new Setting(stat.range(), stat.maxDetections());
            if (!curves.containsKey(setting)) {
                curves.put(setting, PrecisionRecallAccumulator.accumulate(matches.get(stat.range()), stat.maxDetections()));
            }
            CategoryCurve curve = curves.get(setting);
            if (curve == null) {
                continue; // COCO's -1: no counted ground truth, the category is left out
            }
            double[] values = stat.precision() ? curve.averagePrecision() : curve.recall();
            if (stat.threshold() == CocoStat.ALL_THRESHOLDS) {
                for (double value : values) {
                    sums[i] += value;
                    counts[i]++;
                }
            } else {
                sums[i] += values[stat.threshold()];
                counts[i]++;
            }
        }
    }

    /** The summary numbers in the order of the stats. */
    double[] values() {
        double[] values = new double[stats.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = counts[i] == 0 ? -1 : sums[i] / counts[i];
        }
        return values;
    }

    /** What one precision/recall curve depends on, besides the category. */
    private record Setting(AreaRange range, int maxDetections) {}
}
