package io.seqvision.tasks.metrics;

import io.seqvision.tasks.metrics.PrecisionRecallAccumulator.CategoryCurve;
import java.util.List;
import java.util.Map;

/**
 * COCOeval.summarize: each summary number is the mean over categories (and IoU thresholds where
 * not fixed) of the valid per-category values; -1 when there is none.
 */
final class CocoSummary {

    // Indices into the sums, in ApResult / COCOeval.stats order.
    private static final int AP = 0;
    private static final int AP50 = 1;
    private static final int AP75 = 2;
    private static final int AP_SMALL = 3;
    private static final int AP_MEDIUM = 4;
    private static final int AP_LARGE = 5;
    private static final int AR1 = 6;
    private static final int AR10 = 7;
    private static final int AR100 = 8;
    private static final int AR_SMALL = 9;
    private static final int AR_MEDIUM = 10;
    private static final int AR_LARGE = 11;
    private static final int COUNT = 12;

    private final double[] sums = new double[COUNT];
    private final int[] counts = new int[COUNT];

    /** Adds one category, given its per-image matches for every area range. */
    void add(Map<AreaRange, List<ImageMatch>> matches) {
        int[] limits = CocoParams.MAX_DETECTIONS;
        int largest = CocoParams.largestMaxDetections();
        CategoryCurve all = PrecisionRecallAccumulator.accumulate(matches.get(AreaRange.ALL), largest);
        if (all != null) {
            addEach(AP, all.averagePrecision());
            addOne(AP50, all.averagePrecision()[CocoParams.IOU_50]);
            addOne(AP75, all.averagePrecision()[CocoParams.IOU_75]);
            addEach(AR100, all.recall());
        }
        addRecall(AR1, PrecisionRecallAccumulator.accumulate(matches.get(AreaRange.ALL), limits[0]));
        addRecall(AR10, PrecisionRecallAccumulator.accumulate(matches.get(AreaRange.ALL), limits[1]));
        addBucket(AP_SMALL, AR_SMALL, PrecisionRecallAccumulator.accumulate(matches.get(AreaRange.SMALL), largest));
        addBucket(AP_MEDIUM, AR_MEDIUM, PrecisionRecallAccumulator.accumulate(matches.get(AreaRange.MEDIUM), largest));
        addBucket(AP_LARGE, AR_LARGE, PrecisionRecallAccumulator.accumulate(matches.get(AreaRange.LARGE), largest));
    }

    ApResult result() {
        double[] v = new double[COUNT];
        for (int i = 0; i < COUNT; i++) {
            v[i] = counts[i] == 0 ? -1 : sums[i] / counts[i];
        }
        return new ApResult(v[AP], v[AP50], v[AP75], v[AP_SMALL], v[AP_MEDIUM], v[AP_LARGE],
                v[AR1], v[AR10], v[AR100], v[AR_SMALL], v[AR_MEDIUM], v[AR_LARGE]);
    }

    private void addRecall(int slot, CategoryCurve curve) {
        if (curve != null) {
            addEach(slot, curve.recall());
        }
    }

    private void addBucket(int precisionSlot, int recallSlot, CategoryCurve curve) {
        if (curve != null) {
            addEach(precisionSlot, curve.averagePrecision());
            addEach(recallSlot, curve.recall());
        }
    }

    private void addEach(int slot, double[] values) {
        for (double value : values) {
            addOne(slot, value);
        }
    }

    private void addOne(int slot, double value) {
        sums[slot] += value;
        counts[slot]++;
    }
}
