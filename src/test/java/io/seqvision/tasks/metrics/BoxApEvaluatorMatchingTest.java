package io.seqvision.tasks.metrics;

import static io.seqvision.tasks.metrics.Boxes.TOLERANCE;
import static io.seqvision.tasks.metrics.Boxes.crowd;
import static io.seqvision.tasks.metrics.Boxes.det;
import static io.seqvision.tasks.metrics.Boxes.gt;
import static io.seqvision.tasks.metrics.Boxes.hit;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Hand-worked cases of matching and ranking; the arithmetic follows COCOeval.accumulate. */
class BoxApEvaluatorMatchingTest {

    @Test
    void perfectDetectionsScoreOneEverywhere() {
        GroundTruthBox small = gt(1, 1, 0, 0, 10, 10);
        // One object per image and category, so that AR@1 can be 1 as well.
        GroundTruthBox medium = gt(3, 1, 50, 50, 50, 50);
        GroundTruthBox large = gt(2, 1, 0, 0, 200, 100);
        ApResult r = BoxApEvaluator.evaluate(List.of(small, medium, large),
                List.of(hit(small, 0.9), hit(medium, 0.8), hit(large, 0.7)));
        for (double value : r.stats()) {
            assertEquals(1.0, value, TOLERANCE);
        }
    }

    @Test
    void iouOfExactlyPointSixMatchesOnlyTheFirstThreeThresholds() {
        // gt 10x10, det 10x6 inside it: IoU = 60 / (100 + 60 - 60) = 0.6 exactly.
        // Thresholds 0.50, 0.55, 0.60 match (IoU >= t): AP 1 each; the other 7 give AP 0.
        // AP = 3/10 = 0.3, AP50 = 1, AP75 = 0; recall the same: 0.3.
        ApResult r = BoxApEvaluator.evaluate(List.of(gt(1, 1, 0, 0, 10, 10)), List.of(det(1, 1, 0, 0, 10, 6, 0.5)));
        assertEquals(0.3, r.ap(), TOLERANCE);
        assertEquals(1.0, r.ap50(), TOLERANCE);
        assertEquals(0.0, r.ap75(), TOLERANCE);
        assertEquals(0.3, r.ar100(), TOLERANCE);
        assertEquals(0.3, r.apSmall(), TOLERANCE);
        assertEquals(-1.0, r.apMedium());
        assertEquals(-1.0, r.apLarge());
    }

    @Test
    void falsePositiveRankedBeforeTheTruePositiveHalvesPrecision() {
        // Ranked: FP (0.9), TP (0.8). tp = [0, 1], fp = [1, 1] -> recall [0, 1], precision [0, 0.5].
        // Envelope: precision [0.5, 0.5]; every recall threshold samples 0.5 -> AP 0.5.
        GroundTruthBox object = gt(1, 1, 0, 0, 20, 20);
        ApResult r = BoxApEvaluator.evaluate(List.of(object),
                List.of(det(1, 1, 100, 100, 20, 20, 0.9), hit(object, 0.8)));
        assertEquals(0.5, r.ap(), TOLERANCE);
        assertEquals(1.0, r.ar100(), TOLERANCE);
        assertEquals(0.0, r.ar1(), TOLERANCE); // the single top detection is the false positive
    }

    @Test
    void falsePositiveRankedAfterTheTruePositiveCostsNothing() {
        // Ranked: TP, FP. precision [1, 0.5], recall [1, 1]: every threshold samples index 0 -> 1.
        GroundTruthBox object = gt(1, 1, 0, 0, 20, 20);
        ApResult r = BoxApEvaluator.evaluate(List.of(object),
                List.of(det(1, 1, 100, 100, 20, 20, 0.1), hit(object, 0.8)));
        assertEquals(1.0, r.ap(), TOLERANCE);
    }

    @Test
    void categoriesAreAveragedWithEqualWeight() {
        // Category 1 is perfect (AP 1 at every threshold). Category 2 has the IoU-0.6 detection
        // (AP 0.3, AP50 1, AP75 0). Means: AP (1 + 0.3) / 2 = 0.65, AP50 1, AP75 0.5.
        GroundTruthBox cat1 = gt(1, 1, 0, 0, 40, 40);
        ApResult r = BoxApEvaluator.evaluate(List.of(cat1, gt(1, 2, 100, 100, 10, 10)),
                List.of(hit(cat1, 0.9), det(1, 2, 100, 100, 10, 6, 0.9)));
        assertEquals(0.65, r.ap(), TOLERANCE);
        assertEquals(1.0, r.ap50(), TOLERANCE);
        assertEquals(0.5, r.ap75(), TOLERANCE);
    }

    @Test
    void detectionsInsideACrowdRegionAreIgnoredAndTheCrowdIsNotAMiss() {
        // Two detections lie wholly inside the crowd box: crowd IoU = overlap / detection area = 1,
        // so both match the (ignored) crowd and are ignored, though they outrank the true positive;
        // one crowd region absorbs both. Counted gts: 1 (the crowd is not). Ranked: ign, ign, TP:
        // tp [0, 0, 1], fp [0, 0, 0] -> precision [0, 0, 1], recall [0, 0, 1]; envelope all 1 -> AP 1.
        // Were the crowd counted, recall would stop at 0.5; were the two counted as FPs, AP = 1/3.
        GroundTruthBox object = gt(1, 1, 0, 0, 10, 10);
        ApResult r = BoxApEvaluator.evaluate(List.of(object, crowd(1, 1, 100, 100, 200, 200)),
                List.of(det(1, 1, 120, 120, 20, 20, 0.9), det(1, 1, 150, 150, 30, 30, 0.8), hit(object, 0.5)));
        assertEquals(1.0, r.ap(), TOLERANCE);
        assertEquals(1.0, r.ar100(), TOLERANCE);
    }

    @Test
    void aMissedGroundTruthCapsRecallAtOneHalf() {
        // Two gts, one exact detection: tp [1], fp [0], recall [0.5], precision [1].
        // Recall thresholds 0.00 ... 0.50 (51 of the 101) find index 0 (searchsorted left: 0.5 >= 0.5);
        // 0.51 ... 1.00 (50) run past the end and count 0. AP = 51 / 101 = 0.50495...
        GroundTruthBox found = gt(1, 1, 0, 0, 20, 20);
        ApResult r = BoxApEvaluator.evaluate(List.of(found, gt(1, 1, 100, 100, 20, 20)), List.of(hit(found, 0.9)));
        assertEquals(51.0 / 101.0, r.ap(), TOLERANCE);
        assertEquals(0.5, r.ar100(), TOLERANCE);
    }

    @Test
    void oneFoundOfThreeSamplesThirtyFourRecallThresholds() {
        // recall [1/3]: thresholds 0.00 ... 0.33 (34 values) are <= 0.333..., so AP = 34 / 101.
        GroundTruthBox found = gt(1, 1, 0, 0, 20, 20);
        ApResult r = BoxApEvaluator.evaluate(
                List.of(found, gt(1, 1, 100, 100, 20, 20), gt(2, 1, 0, 0, 20, 20)), List.of(hit(found, 0.9)));
        assertEquals(34.0 / 101.0, r.ap(), TOLERANCE);
        assertEquals(1.0 / 3.0, r.ar100(), TOLERANCE);
    }

    @Test
    void duplicateDetectionOfTheSameObjectIsAFalsePositive() {
        // gts A, B. Ranked: A (0.9, TP), A again (0.8, FP: A is taken), B (0.7, TP).
        // tp [1, 1, 2], fp [0, 1, 1] -> recall [0.5, 0.5, 1], precision [1, 0.5, 2/3].
        // Envelope from the right: [1, 2/3, 2/3]. Thresholds <= 0.5 (51) -> index 0 -> 1;
        // thresholds 0.51 ... 1 (50) -> index 2 -> 2/3. AP = (51 + 50 * 2/3) / 101 = 0.834983...
        // (Had the duplicate counted as a TP, AP would be 1.)
        GroundTruthBox a = gt(1, 1, 0, 0, 20, 20);
        GroundTruthBox b = gt(1, 1, 100, 100, 20, 20);
        ApResult r = BoxApEvaluator.evaluate(List.of(a, b), List.of(hit(a, 0.9), hit(a, 0.8), hit(b, 0.7)));
        assertEquals((51 + 50 * 2.0 / 3.0) / 101, r.ap(), TOLERANCE);
    }

    @Test
    void aLaterDetectionFallsBackToTheBestGroundTruthStillFree() {
        // gts A = [0,0,10,10] and B = [5,0,10,10]. The first detection equals A (IoU 1 with A,
        // 50/150 = 1/3 with B) and takes A. The second equals A shifted by 2: IoU with A is
        // 80/120 = 2/3, with B 70/130 = 0.538...; A is taken, so at t <= 0.5 it takes B, at
        // t = 0.55 (> 0.538) it matches nothing. AP50 = 1; AP at 0.55..0.95: recall only 0.5,
        // precision [1, 0.5] -> envelope [1, 0.5] at recall [0.5, 0.5] -> 51/101 each.
        GroundTruthBox a = gt(1, 1, 0, 0, 10, 10);
        GroundTruthBox b = gt(1, 1, 5, 0, 10, 10);
        ApResult r = BoxApEvaluator.evaluate(List.of(a, b), List.of(hit(a, 0.9), det(1, 1, 2, 0, 10, 10, 0.8)));
        assertEquals(1.0, r.ap50(), TOLERANCE);
        assertEquals((1 + 9 * 51.0 / 101) / 10, r.ap(), TOLERANCE);
    }

    @Test
    void equalScoresOnDifferentImagesRankInAscendingImageId() {
        // Both detections score 0.5. COCO concatenates images in ascending id and sorts stably,
        // so image 1's TP ranks before image 2's FP whatever the input order. Image 2's object is
        // missed, so: tp [1, 1], fp [0, 1] -> recall [0.5, 0.5], precision [1, 0.5] -> AP 51/101.
        // The opposite ranking (FP first) would give precision [0, 0.5] -> AP 0.5 * 51/101.
        GroundTruthBox object = gt(1, 1, 0, 0, 20, 20);
        ApResult r = BoxApEvaluator.evaluate(List.of(object, gt(2, 1, 0, 0, 20, 20)),
                List.of(det(2, 1, 200, 200, 20, 20, 0.5), hit(object, 0.5)));
        assertEquals(51.0 / 101, r.ap(), TOLERANCE);
    }

    @Test
    void onlyTheTopHundredDetectionsPerImageAndCategoryCount() {
        GroundTruthBox object = gt(1, 1, 0, 0, 20, 20);
        // 99 false positives outrank the hit: it is the 100th and is kept. Ranked precision is
        // k-th: 0 until the last, 1/100; the envelope makes it 0.01 everywhere: AP = 0.01.
        List<DetectionBox> dets = falsePositives(99);
        dets.add(hit(object, 0.001));
        ApResult kept = BoxApEvaluator.evaluate(List.of(object), dets);
        assertEquals(0.01, kept.ap(), TOLERANCE);
        assertEquals(1.0, kept.ar100(), TOLERANCE);
        assertEquals(0.0, kept.ar10(), TOLERANCE);
        // One more false positive pushes the hit to rank 101, where it is dropped.
        dets.add(det(1, 1, 500, 500, 5, 5, 0.5));
        ApResult dropped = BoxApEvaluator.evaluate(List.of(object), dets);
        assertEquals(0.0, dropped.ap(), TOLERANCE);
        assertEquals(0.0, dropped.ar100(), TOLERANCE);
    }

    @Test
    void recallAtOneCountsOneDetectionPerImageAndCategory() {
        // Image 1 has two objects, image 2 one; all found. With 1 detection per image:
        // 2 of 3 found -> AR1 = 2/3; with 10: 1.
        GroundTruthBox a = gt(1, 1, 0, 0, 20, 20);
        GroundTruthBox b = gt(1, 1, 100, 100, 20, 20);
        GroundTruthBox c = gt(2, 1, 0, 0, 20, 20);
        ApResult r = BoxApEvaluator.evaluate(List.of(a, b, c), List.of(hit(a, 0.9), hit(b, 0.8), hit(c, 0.7)));
        assertEquals(2.0 / 3.0, r.ar1(), TOLERANCE);
        assertEquals(1.0, r.ar10(), TOLERANCE);
    }

    private static List<DetectionBox> falsePositives(int count) {
        List<DetectionBox> dets = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            dets.add(det(1, 1, 1000 + 30 * i, 1000, 20, 20, 0.9 - i * 0.001));
        }
        return dets;
    }
}
