package io.seqvision.tasks.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Agreement with pycocotools 2.0.11 (COCOeval, iouType 'bbox', default parameters) on
 * {@link CocoDatasetGenerator} data sets. The expected arrays are COCOeval.stats as printed by
 * src/test/python/coco_reference.py ({@code boxes SEED SEED}), a line-for-line Python port of the
 * generator (annotation ids 1.., categories 1-4, detections through COCO.loadRes). The same
 * comparison over seeds 0-599 agreed to within 1.2e-15 on all 14,400 values (and again over seeds
 * 0-299 after the evaluator became generic over the similarity).
 */
class BoxApPycocotoolsReferenceTest {

    private static final double TOLERANCE = 1e-12;

    @Test
    void seedZeroWithDetectionBurstsMatchesPycocotools() {
        // 20 images (2 without objects), 63 objects (1 crowd), 1373 detections, up to 174 on one
        // image and category.
        CocoDatasetGenerator.Dataset data = CocoDatasetGenerator.generate(0);
        assertEquals(63, data.groundTruths().size());
        assertEquals(1373, data.detections().size());
        assertStats(new double[] {0.04424430846235866, 0.0879353434613284, 0.05100666421746872,
                0.044683614228175135, 0.08847610091197798, 0.03514535026705476, 0.17150210084033612,
                0.3329400093370682, 0.37821778711484594, 0.1603896103896104, 0.471875, 0.5148809523809523},
                BoxApEvaluator.evaluate(data.groundTruths(), data.detections(), data.imageIds()));
        // COCO's image list restricted to the images that have objects.
        assertStats(new double[] {0.05604405812020218, 0.10589673030270022, 0.06501969023528745,
                0.06159287510951787, 0.11134861183768231, 0.04115424849490443, 0.17150210084033612,
                0.3329400093370682, 0.37821778711484594, 0.1603896103896104, 0.471875, 0.5148809523809523},
                BoxApEvaluator.evaluate(data.groundTruths(), data.detections()));
    }

    @Test
    void seedOneWithCrowdsMatchesPycocotools() {
        // 30 images (5 without objects), 90 objects (9 crowds), 152 detections.
        CocoDatasetGenerator.Dataset data = CocoDatasetGenerator.generate(1);
        assertEquals(90, data.groundTruths().size());
        assertEquals(152, data.detections().size());
        assertStats(new double[] {0.2322172536859868, 0.33383191365390424, 0.2659011043937389,
                0.10905115511551154, 0.27314199277070567, 0.4743951510535668, 0.3088406385281385,
                0.44740259740259736, 0.44740259740259736, 0.17703373015873014, 0.43277777777777776,
                0.7485714285714284},
                BoxApEvaluator.evaluate(data.groundTruths(), data.detections(), data.imageIds()));
        assertStats(new double[] {0.23805780416780456, 0.34240298659056123, 0.27152191934879755,
                0.10905115511551154, 0.27796460003143175, 0.4922584744738209, 0.3088406385281385,
                0.44740259740259736, 0.44740259740259736, 0.17703373015873014, 0.43277777777777776,
                0.7485714285714284},
                BoxApEvaluator.evaluate(data.groundTruths(), data.detections()));
    }

    @Test
    void shufflingTheInputDoesNotChangeTheResult() {
        // Only ties in score (or in IoU) make input order matter, as in COCO; give every
        // detection a distinct score so any order must give bit-identical numbers.
        for (long seed = 2; seed < 6; seed++) {
            CocoDatasetGenerator.Dataset data = CocoDatasetGenerator.generate(seed);
            List<DetectionBox> dets = withDistinctScores(data.detections(), new Random(seed));
            List<GroundTruthBox> gts = new ArrayList<>(data.groundTruths());
            double[] expected = BoxApEvaluator.evaluate(gts, dets, data.imageIds()).stats();
            Random shuffler = new Random(100 + seed);
            for (int round = 0; round < 3; round++) {
                Collections.shuffle(gts, shuffler);
                Collections.shuffle(dets, shuffler);
                List<Long> images = new ArrayList<>(data.imageIds());
                Collections.shuffle(images, shuffler);
                assertArrayEquals(expected, BoxApEvaluator.evaluate(gts, dets, images).stats(), 0.0);
            }
        }
    }

    @Test
    void tenThousandObjectsAndFiftyThousandDetectionsEvaluateQuickly() {
        // 2,000 images x 5 objects x 5 detections spread over 80 categories; pycocotools needs
        // tens of seconds for this. The bound is loose: it guards against per-threshold IoU or
        // cross-image matching, not against a slow machine.
        Random random = new Random(42);
        List<GroundTruthBox> gts = new ArrayList<>();
        List<DetectionBox> dets = new ArrayList<>();
        for (long image = 0; image < 2000; image++) {
            for (int k = 0; k < 5; k++) {
                GroundTruthBox object = GroundTruthBox.of(image, random.nextInt(80), random.nextDouble() * 500,
                        random.nextDouble() * 500, 5 + random.nextDouble() * 200, 5 + random.nextDouble() * 200);
                gts.add(object);
                for (int d = 0; d < 5; d++) {
                    double jitter = d * 3 * random.nextDouble();
                    dets.add(new DetectionBox(image, d < 4 ? object.categoryId() : random.nextInt(80),
                            object.x() + jitter, object.y() - jitter, object.width(), object.height() + jitter,
                            random.nextDouble()));
                }
            }
        }
        ApResult result = assertTimeoutPreemptively(Duration.ofSeconds(15), () -> BoxApEvaluator.evaluate(gts, dets));
        assertEquals(1.0, result.ar100(), 0.2); // sanity: most objects have a near-exact detection
    }

    private static List<DetectionBox> withDistinctScores(List<DetectionBox> dets, Random random) {
        List<Integer> ranks = new ArrayList<>();
        for (int i = 0; i < dets.size(); i++) {
            ranks.add(i);
        }
        Collections.shuffle(ranks, random);
        List<DetectionBox> distinct = new ArrayList<>();
        for (int i = 0; i < dets.size(); i++) {
            DetectionBox d = dets.get(i);
            distinct.add(new DetectionBox(d.imageId(), d.categoryId(), d.x(), d.y(), d.width(), d.height(),
                    (ranks.get(i) + 0.5) / dets.size()));
        }
        return distinct;
    }

    private static void assertStats(double[] expected, ApResult actual) {
        assertArrayEquals(expected, actual.stats(), TOLERANCE, actual::format);
    }
}
