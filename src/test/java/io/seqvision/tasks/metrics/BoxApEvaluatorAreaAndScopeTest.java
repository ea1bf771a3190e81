package io.seqvision.tasks.metrics;

import static io.seqvision.tasks.metrics.Boxes.TOLERANCE;
import static io.seqvision.tasks.metrics.Boxes.crowd;
import static io.seqvision.tasks.metrics.Boxes.det;
import static io.seqvision.tasks.metrics.Boxes.gt;
import static io.seqvision.tasks.metrics.Boxes.hit;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Hand-worked cases of size buckets and of which images and categories are evaluated. */
class BoxApEvaluatorAreaAndScopeTest {

    @Test
    void sizeBucketsCountOnlyTheirOwnObjects() {
        // One image: small 20x20 (400), medium 50x50 (2500, missed), large 100x100 (10000).
        // Detections: FP of 40x40 = 1600 (a medium size) at 0.9, small hit 0.8, large hit 0.7.
        GroundTruthBox small = gt(1, 1, 0, 0, 20, 20);
        GroundTruthBox medium = gt(1, 1, 100, 0, 50, 50);
        GroundTruthBox large = gt(1, 1, 200, 200, 100, 100);
        ApResult r = BoxApEvaluator.evaluate(List.of(small, medium, large),
                List.of(det(1, 1, 500, 500, 40, 40, 0.9), hit(small, 0.8), hit(large, 0.7)));
        // small: the large hit matches an out-of-range gt and the FP is out of range: both
        // ignored, the small hit is the only ranked detection -> 1.
        assertEquals(1.0, r.apSmall(), TOLERANCE);
        assertEquals(1.0, r.arSmall(), TOLERANCE);
        // medium: the only counted gt is missed; the FP is in range -> 0.
        assertEquals(0.0, r.apMedium(), TOLERANCE);
        assertEquals(0.0, r.arMedium(), TOLERANCE);
        assertEquals(1.0, r.apLarge(), TOLERANCE);
        // all: ranked FP, TP, TP over 3 gts: recall [0, 1/3, 2/3], precision [0, 1/2, 2/3];
        // envelope 2/3 throughout; thresholds 0 ... 0.66 (67 of them) are reached: AP = 67 * 2/3 / 101.
        assertEquals(67 * (2.0 / 3.0) / 101, r.ap(), TOLERANCE);
        assertEquals(2.0 / 3.0, r.ar100(), TOLERANCE);
    }

    @Test
    void areaOfExactly32SquaredIsBothSmallAndMedium() {
        GroundTruthBox object = gt(1, 1, 0, 0, 32, 32);
        ApResult r = BoxApEvaluator.evaluate(List.of(object), List.of(hit(object, 0.9)));
        assertEquals(1.0, r.apSmall(), TOLERANCE);
        assertEquals(1.0, r.apMedium(), TOLERANCE);
        assertEquals(-1.0, r.apLarge());
    }

    @Test
    void groundTruthBucketUsesTheAnnotationAreaNotTheBox() {
        // A 100x100 box whose (segmentation) area is 500 is a small object; the detection's own
        // area (10000) does not matter once it is matched.
        GroundTruthBox object = new GroundTruthBox(1, 1, 0, 0, 100, 100, 500, false);
        ApResult r = BoxApEvaluator.evaluate(List.of(object), List.of(hit(object, 0.9)));
        assertEquals(1.0, r.apSmall(), TOLERANCE);
        assertEquals(-1.0, r.apMedium());
        assertEquals(-1.0, r.apLarge());
    }

    @Test
    void categoriesWithoutCountedGroundTruthAreLeftOutOfTheMean() {
        // Category 1: perfect. Category 2 has detections but no gt anywhere; category 3 only a
        // crowd gt (npig = 0), plus a false positive. Both give COCO's -1 and are skipped, so
        // AP stays 1 rather than (1 + 0 + 0) / 3.
        GroundTruthBox object = gt(1, 1, 0, 0, 20, 20);
        ApResult r = BoxApEvaluator.evaluate(List.of(object, crowd(1, 3, 100, 100, 50, 50)),
                List.of(hit(object, 0.5), det(1, 2, 0, 0, 20, 20, 0.9), det(1, 3, 300, 300, 20, 20, 0.9)));
        assertEquals(1.0, r.ap(), TOLERANCE);
        assertEquals(1.0, r.ar100(), TOLERANCE);
    }

    @Test
    void noDetectionsScoresZeroAndAbsentBucketsMinusOne() {
        ApResult r = BoxApEvaluator.evaluate(List.of(gt(1, 1, 0, 0, 20, 20), gt(2, 2, 0, 0, 20, 20)), List.of());
        assertEquals(0.0, r.ap());
        assertEquals(0.0, r.ap50());
        assertEquals(0.0, r.apSmall());
        assertEquals(0.0, r.ar100());
        assertEquals(-1.0, r.apMedium());
        assertEquals(-1.0, r.apLarge());
    }

    @Test
    void nothingToEvaluateGivesMinusOneEverywhere() {
        ApResult r = BoxApEvaluator.evaluate(List.of(), List.of(det(1, 1, 0, 0, 5, 5, 0.5)));
        for (double value : r.stats()) {
            assertEquals(-1.0, value);
        }
    }

    @Test
    void detectionsOnImagesWithoutGroundTruthCountOnlyWhenTheImageIsEvaluated() {
        // Image 1: one object, hit at 0.5. Image 2 has no objects; a detection there scores 0.9.
        // Image 3 is outside every image set given; its detection is always dropped.
        GroundTruthBox object = gt(1, 1, 0, 0, 20, 20);
        List<GroundTruthBox> gts = List.of(object);
        List<DetectionBox> dets = List.of(hit(object, 0.5), det(2, 1, 0, 0, 20, 20, 0.9), det(3, 1, 0, 0, 20, 20, 0.95));
        // Default: images with a gt only -> just the hit -> 1.
        assertEquals(1.0, BoxApEvaluator.evaluate(gts, dets).ap(), TOLERANCE);
        assertEquals(1.0, BoxApEvaluator.evaluate(gts, dets, List.of(1L)).ap(), TOLERANCE);
        // Images {1, 2}: FP (0.9) then TP -> precision [0, 0.5] -> envelope 0.5 -> AP 0.5.
        assertEquals(0.5, BoxApEvaluator.evaluate(gts, dets, List.of(1L, 2L)).ap(), TOLERANCE);
    }

    @Test
    void groundTruthOutsideTheGivenImagesIsNotCounted() {
        // Image 2's object is outside the set, so it is not a miss: AP 1, not 51/101.
        GroundTruthBox object = gt(1, 1, 0, 0, 20, 20);
        ApResult r = BoxApEvaluator.evaluate(List.of(object, gt(2, 1, 0, 0, 20, 20)), List.of(hit(object, 0.5)), List.of(1L));
        assertEquals(1.0, r.ap(), TOLERANCE);
    }
}
