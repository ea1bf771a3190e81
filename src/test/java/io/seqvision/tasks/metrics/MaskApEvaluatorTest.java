package io.seqvision.tasks.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqvision.tokenizers.BinaryMask;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Hand-worked mask cases; the AP arithmetic is COCOeval.accumulate's, as in the box tests. */
class MaskApEvaluatorTest {

    private static final double TOLERANCE = 1e-12;
    private static final int SIDE = 200;

    @Test
    void maskIouIsPixelOverlapOverPixelUnion() {
        // An L-shaped ground truth: 10x10 square minus its 5x5 top-right corner = 75 pixels.
        // Detection: the full 10x10 square (100 pixels). Intersection 75, union 100 -> 0.75;
        // a box IoU of the two bounding boxes would be 1.
        boolean[] pixels = new boolean[SIDE * SIDE];
        for (int y = 0; y < 10; y++) {
            for (int x = 0; x < 10; x++) {
                pixels[y * SIDE + x] = !(x >= 5 && y < 5);
            }
        }
        GroundTruthMask gt = GroundTruthMask.of(1, 1, new BinaryMask(SIDE, SIDE, pixels));
        DetectionMask det = new DetectionMask(1, 1, rect(0, 0, 10, 10), 0.9);
        assertEquals(75, gt.area());
        assertEquals(0.75, MaskApEvaluator.maskIou(det, gt), 0.0);
        // Matches at thresholds 0.50 ... 0.75 (6 of 10): AP = 0.6, AP50 = AP75 = 1.
        ApResult r = MaskApEvaluator.evaluate(List.of(gt), List.of(det));
        assertEquals(0.6, r.ap(), TOLERANCE);
        assertEquals(1.0, r.ap50(), TOLERANCE);
        assertEquals(1.0, r.ap75(), TOLERANCE);
        assertEquals(0.6, r.ar100(), TOLERANCE);
    }

    @Test
    void crowdIouDividesByTheDetectionAreaAndAbsorbsDetections() {
        // Crowd 100x100 at (100, 100). Detection 20x20 half inside it: intersection 200, detection
        // 400 -> crowd IoU 0.5 (union IoU would be 200 / 10200).
        GroundTruthMask crowd = new GroundTruthMask(1, 1, rect(100, 100, 200, 200), 10000, true);
        assertEquals(0.5, MaskApEvaluator.maskIou(new DetectionMask(1, 1, rect(90, 120, 110, 140), 0.5), crowd), 0.0);
        // Two detections inside the crowd outrank a true positive; both are ignored, so AP = 1.
        GroundTruthMask object = GroundTruthMask.of(1, 1, rect(0, 0, 20, 20).toBinaryMask());
        ApResult r = MaskApEvaluator.evaluate(List.of(object, crowd), List.of(
                new DetectionMask(1, 1, rect(120, 120, 140, 140), 0.9),
                new DetectionMask(1, 1, rect(150, 150, 190, 190), 0.8),
                new DetectionMask(1, 1, rect(0, 0, 20, 20), 0.5)));
        assertEquals(1.0, r.ap(), TOLERANCE);
        assertEquals(1.0, r.ar100(), TOLERANCE);
    }

    @Test
    void anEmptyMaskNeverMatchesAndCountsAsAFalsePositive() {
        // Ranked: empty (0.9) -> FP, exact (0.8) -> TP. Precision [0, 1/2] -> envelope 1/2 -> AP 0.5.
        GroundTruthMask object = new GroundTruthMask(1, 1, rect(0, 0, 20, 20), 400, false);
        DetectionMask empty = new DetectionMask(1, 1, RunLengthMask.empty(SIDE, SIDE), 0.9);
        assertEquals(0.0, MaskApEvaluator.maskIou(empty, object));
        ApResult r = MaskApEvaluator.evaluate(
                List.of(object), List.of(empty, new DetectionMask(1, 1, rect(0, 0, 20, 20), 0.8)));
        assertEquals(0.5, r.ap(), TOLERANCE);
        // The empty detection has area 0, inside the small range: it is a false positive there too.
        assertEquals(0.5, r.apSmall(), TOLERANCE);
    }

    @Test
    void bucketsUseTheGroundTruthAreaFieldAndTheDetectionPixelCount() {
        // A 40x40 mask (1600 pixels, medium) annotated with area 900 (small) is a small object.
        // An unmatched 50x50 detection (2500 pixels) is a false positive for medium only.
        GroundTruthMask object = new GroundTruthMask(1, 1, rect(0, 0, 40, 40), 900, false);
        GroundTruthMask mediumObject = GroundTruthMask.of(1, 1, rect(100, 100, 150, 150).toBinaryMask());
        ApResult r = MaskApEvaluator.evaluate(List.of(object, mediumObject), List.of(
                new DetectionMask(1, 1, rect(0, 0, 40, 40), 0.7), new DetectionMask(1, 1, rect(60, 0, 110, 50), 0.9)));
        // small: the FP (2500 px) is outside the range and unmatched -> ignored; the hit is the only
        // ranked detection -> AP 1.
        assertEquals(1.0, r.apSmall(), TOLERANCE);
        // medium: the 50x50 gt is missed and the FP counts -> 0.
        assertEquals(0.0, r.apMedium(), TOLERANCE);
        assertEquals(-1.0, r.apLarge());
    }

    @Test
    void masksOfOneImageMustShareTheirSize() {
        GroundTruthMask gt = GroundTruthMask.of(7, 1, RunLengthMask.rectangle(64, 48, 0, 0, 5, 5).toBinaryMask());
        DetectionMask det = new DetectionMask(7, 1, RunLengthMask.rectangle(48, 64, 0, 0, 5, 5), 0.5);
        assertRejected(() -> MaskApEvaluator.evaluate(List.of(gt), List.of(det)),
                "image 7", "detections[0] is 48 x 64", "64 x 48 (groundTruths[0])");
        // different sizes on different images are fine: the detection on image 8 is a false positive
        DetectionMask elsewhere = new DetectionMask(8, 1, RunLengthMask.rectangle(48, 64, 0, 0, 5, 5), 0.5);
        assertEquals(0.0, MaskApEvaluator.evaluate(List.of(gt), List.of(elsewhere), List.of(7L, 8L)).ap());
    }

    @Test
    void invalidFieldsAreNamed() {
        assertRejected(() -> new DetectionMask(3, 2, RunLengthMask.empty(4, 4), Double.NaN), "score", "NaN", "imageId=3");
        assertRejected(() -> new GroundTruthMask(3, 2, RunLengthMask.empty(4, 4), -1, false), "area", "-1.0");
        NullPointerException missing = assertThrows(NullPointerException.class,
                () -> new GroundTruthMask(3, 2, null, 1, false));
        assertTrue(missing.getMessage().contains("mask is null"));
        GroundTruthMask gt = GroundTruthMask.of(1, 1, RunLengthMask.rectangle(8, 8, 0, 0, 2, 2).toBinaryMask());
        assertRejected(() -> MaskApEvaluator.evaluate(Arrays.asList(gt, null), List.of()), "groundTruths[1] is null");
        assertRejected(() -> MaskApEvaluator.evaluate(List.of(gt), Arrays.asList((DetectionMask) null)),
                "detections[0] is null");
    }

    private static RunLengthMask rect(int x0, int y0, int x1, int y1) {
        return RunLengthMask.rectangle(SIDE, SIDE, x0, y0, x1, y1);
    }

    private static void assertRejected(Executable action, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, action);
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), () -> "'" + e.getMessage() + "' lacks '" + fragment + "'");
        }
    }
}
