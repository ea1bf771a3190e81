package io.seqvision.tasks.metrics;

import static io.seqvision.tasks.metrics.People.allAt;
import static io.seqvision.tasks.metrics.People.guess;
import static io.seqvision.tasks.metrics.People.hit;
import static io.seqvision.tasks.metrics.People.labelledAt;
import static io.seqvision.tasks.metrics.People.person;
import static io.seqvision.tasks.metrics.People.unlabelled;
import static io.seqvision.tasks.metrics.People.with;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Hand-worked OKS and keypoint-AP cases; expected OKS values also checked with pycocotools' computeOks. */
class KeypointApEvaluatorTest {

    private static final double TOLERANCE = 1e-12;

    @Test
    void oksOfOneLabelledPointFollowsTheGaussian() {
        // Only the nose is labelled (sigma 0.026, so (2 sigma)^2 = 0.002704); the detection's nose
        // is 5 px off (3, 4) and its other points do not count. Area 10000:
        // e = 25 / 0.002704 / 10000 / 2 = 0.462278..., OKS = exp(-e) = 0.629847...
        GroundTruthKeypoints gt = person(1, with(unlabelled(), 0, 50, 50, 2), 0, 0, 100, 100, 10000);
        DetectionKeypoints det = guess(1, allAt(53, 54), 0.9);
        assertEquals(0.6298471509901604, KeypointApEvaluator.oks(det, gt), 1e-15);
        // It matches at OKS thresholds 0.50, 0.55, 0.60 only: AP 3/10, AP50 1, AP75 0.
        KeypointApResult r = KeypointApEvaluator.evaluate(List.of(gt), List.of(det));
        assertEquals(0.3, r.ap(), TOLERANCE);
        assertEquals(1.0, r.ap50(), TOLERANCE);
        assertEquals(0.0, r.ap75(), TOLERANCE);
        assertEquals(0.3, r.ar(), TOLERANCE);
        assertEquals(1.0, r.ar50(), TOLERANCE);
        assertEquals(0.0, r.ar75(), TOLERANCE);
        assertEquals(0.3, r.apLarge(), TOLERANCE); // 10000 >= 96^2
        assertEquals(-1.0, r.apMedium());
    }

    @Test
    void oksAveragesOverTheLabelledPointsOnly() {
        // Nose exact (1) and left hip (sigma 0.107, (2 sigma)^2 = 0.045796) off by (6, 8): e = 100 /
        // 0.045796 / 2500 / 2 = 0.436719, exp(-e) = 0.646153; OKS = (1 + 0.646153) / 2.
        double[] points = with(with(unlabelled(), 0, 50, 50, 2), 11, 60, 80, 1);
        GroundTruthKeypoints gt = person(1, points, 0, 0, 50, 50, 2500);
        DetectionKeypoints det = guess(1, with(allAt(50, 50), 11, 66, 88, 1), 0.5);
        assertEquals(0.8230763698003034, KeypointApEvaluator.oks(det, gt), 1e-15);
        assertEquals(1.0, KeypointApEvaluator.oks(hit(gt, 0.5), gt), 0.0);
    }

    @Test
    void withoutLabelledPointsOksMeasuresTheDistanceOutsideTheEnlargedBox() {
        // Box (100, 100, 40, 40) enlarged to x in [60, 180], y in [60, 180]. All 17 detection
        // points at (190, 100): 10 px right of it, so e_i = 100 / (2 sigma_i)^2 / 1600 / 2 and OKS
        // is the mean of exp(-e_i) over all 17 (pycocotools: 0.22057473912809686).
        GroundTruthKeypoints gt = person(1, unlabelled(), 100, 100, 40, 40, 1600);
        double expected = 0;
        for (double sigma : KeypointApEvaluator.SIGMAS) {
            expected += Math.exp(-100 / (4 * sigma * sigma) / 1600 / 2);
        }
        assertEquals(expected / 17, KeypointApEvaluator.oks(guess(1, allAt(190, 100), 1), gt), 1e-15);
        assertEquals(0.22057473912809686, KeypointApEvaluator.oks(guess(1, allAt(190, 100), 1), gt), 1e-15);
        // Anywhere inside the enlarged box the distance is 0 and OKS is 1.
        assertEquals(1.0, KeypointApEvaluator.oks(guess(1, allAt(61, 179), 1), gt), 0.0);
        assertEquals(1.0, KeypointApEvaluator.oks(guess(1, allAt(180, 60), 1), gt), 0.0);
    }

    @Test
    void aPersonWithoutLabelledPointsIsIgnoredAndAbsorbsADetectionNearIt() {
        // A: fully labelled, hit at 0.5. B: no labelled point. A detection at 0.9 inside B's
        // enlarged box matches B (OKS 1) and is ignored: AP 1, and B is not a miss (AR 1).
        GroundTruthKeypoints a = person(1, labelledAt(10, 10), 10, 10, 16, 16, 5000);
        GroundTruthKeypoints b = person(1, unlabelled(), 300, 300, 50, 80, 5000);
        KeypointApResult near = KeypointApEvaluator.evaluate(List.of(a, b),
                List.of(guess(1, allAt(320, 330), 0.9), hit(a, 0.5)));
        assertEquals(1.0, near.ap(), TOLERANCE);
        assertEquals(1.0, near.ar(), TOLERANCE);
        // Far from B (OKS ~ 0) the same detection is a false positive ranked first: AP 0.5.
        KeypointApResult far = KeypointApEvaluator.evaluate(List.of(a, b),
                List.of(guess(1, allAt(2000, 2000), 0.9), hit(a, 0.5)));
        assertEquals(0.5, far.ap(), TOLERANCE);
    }

    @Test
    void aCrowdAbsorbsAnyNumberOfDetections() {
        // Two detections on the crowd's points (0.9, 0.8) outrank the hit on a (0.5). Both match
        // the crowd and are ignored: ranked ignored, ignored, TP -> AP 1.
        GroundTruthKeypoints a = person(1, labelledAt(10, 10), 10, 10, 16, 16, 5000);
        double[] crowdPoints = labelledAt(200, 200);
        GroundTruthKeypoints crowd = new GroundTruthKeypoints(1, 1, crowdPoints, 200, 200, 60, 60, 5000, true);
        List<DetectionKeypoints> dets = List.of(guess(1, crowdPoints, 0.9), guess(1, crowdPoints, 0.8), hit(a, 0.5));
        assertEquals(1.0, KeypointApEvaluator.evaluate(List.of(a, crowd), dets).ap(), TOLERANCE);
        // Were it an ordinary person, the second copy would be a duplicate: TP, FP, TP ->
        // recall [1/2, 1/2, 1], precision [1, 1/2, 2/3] -> AP = (51 + 50 * 2/3) / 101.
        GroundTruthKeypoints ordinary = person(1, crowdPoints, 200, 200, 60, 60, 5000);
        assertEquals((51 + 50 * 2.0 / 3.0) / 101, KeypointApEvaluator.evaluate(List.of(a, ordinary), dets).ap(), TOLERANCE);
    }

    @Test
    void bucketsAreMediumAndLargeByTheGroundTruthAreaAndSmallPeopleCountOnlyInAll() {
        // small (area 500, missed), medium (area 2000, hit at 0.8), large (area 20000, hit at 0.7)
        GroundTruthKeypoints small = person(1, labelledAt(0, 0), 0, 0, 16, 16, 500);
        GroundTruthKeypoints medium = person(1, labelledAt(100, 100), 100, 100, 16, 16, 2000);
        GroundTruthKeypoints large = person(1, labelledAt(200, 200), 200, 200, 16, 16, 20000);
        KeypointApResult r = KeypointApEvaluator.evaluate(List.of(small, medium, large),
                List.of(hit(medium, 0.8), hit(large, 0.7)));
        assertEquals(1.0, r.apMedium(), TOLERANCE);
        assertEquals(1.0, r.apLarge(), TOLERANCE);
        assertEquals(1.0, r.arMedium(), TOLERANCE);
        // all: two TPs of three people: recall 2/3, precision 1 -> AP = 67/101 (thresholds 0 ... 0.66)
        assertEquals(67.0 / 101.0, r.ap(), TOLERANCE);
        assertEquals(2.0 / 3.0, r.ar(), TOLERANCE);
    }

    @Test
    void anUnmatchedDetectionFallsInABucketByItsPointsBoundingBox() {
        // A medium person, hit at 0.5; a false positive at 0.9 whose points span 200 x 100
        // (area 20000, large): ignored for medium (AP 1), counted in all (AP 0.5).
        GroundTruthKeypoints medium = person(1, labelledAt(100, 100), 100, 100, 16, 16, 2000);
        double[] wide = with(allAt(1000, 1000), 3, 1200, 1100, 1);
        assertEquals(20000.0, guess(1, wide, 0.9).area(), 0.0);
        KeypointApResult r = KeypointApEvaluator.evaluate(List.of(medium), List.of(guess(1, wide, 0.9), hit(medium, 0.5)));
        assertEquals(1.0, r.apMedium(), TOLERANCE);
        assertEquals(0.5, r.ap(), TOLERANCE);
    }

    @Test
    void onlyTheTwentyBestDetectionsPerImageTakePart() {
        // 20 false positives outscore the hit: ranked 21st, it is cut (recall 0); with 19 it is 20th.
        GroundTruthKeypoints a = person(1, labelledAt(10, 10), 10, 10, 16, 16, 5000);
        assertEquals(0.0, KeypointApEvaluator.evaluate(List.of(a), withFalsePositives(hit(a, 0.1), 20)).ar(), TOLERANCE);
        KeypointApResult twentieth = KeypointApEvaluator.evaluate(List.of(a), withFalsePositives(hit(a, 0.1), 19));
        assertEquals(1.0, twentieth.ar(), TOLERANCE);
        // precision 1/20 at recall 1 -> AP 0.05
        assertEquals(1.0 / 20, twentieth.ap(), TOLERANCE);
    }

    @Test
    void formatPrintsCocoKeypointSummaryLines() {
        // pycocotools' COCOeval.summarize() output for keypoint seed 0 (KeypointDatasetGenerator).
        KeypointApResult r = new KeypointApResult(0.2226168025488795, 0.25163602074493163, 0.2515066216664099,
                0.4940452616690239, 0.08214570867432495, 0.7708333333333334, 0.8333333333333333, 0.8333333333333333,
                0.7, 1.0);
        assertEquals(String.join("\n",
                " Average Precision  (AP) @[ IoU=0.50:0.95 | area=   all | maxDets= 20 ] = 0.223",
                " Average Precision  (AP) @[ IoU=0.50      | area=   all | maxDets= 20 ] = 0.252",
                " Average Precision  (AP) @[ IoU=0.75      | area=   all | maxDets= 20 ] = 0.252",
                " Average Precision  (AP) @[ IoU=0.50:0.95 | area=medium | maxDets= 20 ] = 0.494",
                " Average Precision  (AP) @[ IoU=0.50:0.95 | area= large | maxDets= 20 ] = 0.082",
                " Average Recall     (AR) @[ IoU=0.50:0.95 | area=   all | maxDets= 20 ] = 0.771",
                " Average Recall     (AR) @[ IoU=0.50      | area=   all | maxDets= 20 ] = 0.833",
                " Average Recall     (AR) @[ IoU=0.75      | area=   all | maxDets= 20 ] = 0.833",
                " Average Recall     (AR) @[ IoU=0.50:0.95 | area=medium | maxDets= 20 ] = 0.700",
                " Average Recall     (AR) @[ IoU=0.50:0.95 | area= large | maxDets= 20 ] = 1.000"), r.format());
    }

    private static List<DetectionKeypoints> withFalsePositives(DetectionKeypoints hit, int count) {
        List<DetectionKeypoints> dets = new ArrayList<>(List.of(hit));
        for (int i = 0; i < count; i++) {
            dets.add(guess(hit.imageId(), allAt(1000 + 50 * i, 1000), 0.9 - i * 0.001));
        }
        return dets;
    }
}
