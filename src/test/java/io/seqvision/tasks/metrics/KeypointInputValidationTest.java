package io.seqvision.tasks.metrics;

import static io.seqvision.tasks.metrics.People.allAt;
import static io.seqvision.tasks.metrics.People.labelledAt;
import static io.seqvision.tasks.metrics.People.unlabelled;
import static io.seqvision.tasks.metrics.People.with;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class KeypointInputValidationTest {

    @Test
    void wrongNumberOfValuesIsRejected() {
        assertRejected(() -> new GroundTruthKeypoints(4, 1, new double[34], 0, 0, 1, 1, 1, false),
                "GroundTruthKeypoints(imageId=4, categoryId=1)", "51 values", "got 34");
        assertRejected(() -> new DetectionKeypoints(4, 1, new double[52], 0.5), "DetectionKeypoints", "51", "got 52");
        NullPointerException missing = assertThrows(NullPointerException.class,
                () -> new DetectionKeypoints(4, 1, null, 0.5));
        assertTrue(missing.getMessage().contains("keypoints is null"));
    }

    @Test
    void nonFiniteValuesNameTheKeypoint() {
        double[] nanEye = with(unlabelled(), 1, 3, Double.NaN, 2);
        assertRejected(() -> new GroundTruthKeypoints(4, 1, nanEye, 0, 0, 1, 1, 1, false),
                "keypoints[4] (y of left_eye)", "NaN");
        double[] infiniteAnkle = allAt(1, 1);
        infiniteAnkle[48] = Double.POSITIVE_INFINITY;
        assertRejected(() -> new DetectionKeypoints(4, 1, infiniteAnkle, 0.5),
                "keypoints[48] (x of right_ankle)", "Infinity");
        assertRejected(() -> new DetectionKeypoints(4, 1, allAt(1, 1), Double.NaN), "score", "NaN");
    }

    @Test
    void groundTruthVisibilityMustBeCocos() {
        double[] points = with(unlabelled(), 0, 3, 3, 3);
        assertRejected(() -> new GroundTruthKeypoints(4, 1, points, 0, 0, 1, 1, 1, false),
                "keypoints[2] (v of nose)", "0, 1 or 2", "3.0");
        // a detection's v is not used (results often carry a confidence there)
        double[] scored = allAt(1, 1);
        scored[2] = 0.37;
        assertEquals(0.37, new DetectionKeypoints(4, 1, scored, 0.5).keypoints()[2]);
    }

    @Test
    void boxAndAreaAreChecked() {
        assertRejected(() -> new GroundTruthKeypoints(4, 1, labelledAt(0, 0), 0, 0, -1, 1, 1, false), "width", "-1.0");
        assertRejected(() -> new GroundTruthKeypoints(4, 1, labelledAt(0, 0), 0, 0, 1, 1, Double.NaN, false), "area", "NaN");
    }

    @Test
    void arraysAreCopiedAndCompareByValue() {
        double[] points = labelledAt(5, 5);
        GroundTruthKeypoints gt = new GroundTruthKeypoints(4, 1, points, 0, 0, 20, 20, 400, false);
        points[0] = 99;
        assertEquals(5.0, gt.keypoints()[0]);
        gt.keypoints()[0] = 99;
        assertEquals(5.0, gt.keypoints()[0]);
        assertEquals(gt, new GroundTruthKeypoints(4, 1, labelledAt(5, 5), 0, 0, 20, 20, 400, false));
        assertEquals(gt.hashCode(), new GroundTruthKeypoints(4, 1, labelledAt(5, 5), 0, 0, 20, 20, 400, false).hashCode());
        assertEquals(17, gt.numKeypoints());
        assertFalse(gt.ignored());
        assertTrue(new GroundTruthKeypoints(4, 1, unlabelled(), 0, 0, 20, 20, 400, false).ignored());
    }

    @Test
    void nullElementsAreNamed() {
        GroundTruthKeypoints gt = new GroundTruthKeypoints(4, 1, labelledAt(5, 5), 0, 0, 20, 20, 400, false);
        assertRejected(() -> KeypointApEvaluator.evaluate(Arrays.asList(null, gt), List.of()), "groundTruths[0] is null");
        assertRejected(() -> KeypointApEvaluator.evaluate(List.of(gt), List.of(), Arrays.asList(4L, null)),
                "imageIds[1] is null");
    }

    private static void assertRejected(Executable action, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, action);
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), () -> "'" + e.getMessage() + "' lacks '" + fragment + "'");
        }
    }
}
