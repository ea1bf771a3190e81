package io.seqvision.tasks.metrics;

import static io.seqvision.tasks.metrics.Boxes.det;
import static io.seqvision.tasks.metrics.Boxes.gt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class BoxApInputValidationTest {

    @Test
    void groundTruthRejectsNonFiniteAndNegativeValuesNamingTheField() {
        assertRejected(() -> gt(7, 3, Double.NaN, 0, 1, 1), "x", "NaN", "imageId=7", "categoryId=3");
        assertRejected(() -> gt(7, 3, 0, Double.POSITIVE_INFINITY, 1, 1), "y", "Infinity");
        assertRejected(() -> gt(7, 3, 0, 0, -2, 1), "width", "-2.0");
        assertRejected(() -> gt(7, 3, 0, 0, 1, Double.NaN), "height", "NaN");
        assertRejected(() -> new GroundTruthBox(7, 3, 0, 0, 1, 1, -5, false), "area", "-5.0");
    }

    @Test
    void detectionRejectsNonFiniteScoreAndNegativeSize() {
        assertRejected(() -> det(4, 2, 0, 0, 1, 1, Double.NaN), "score", "NaN", "imageId=4");
        assertRejected(() -> det(4, 2, 0, 0, 1, 1, Double.NEGATIVE_INFINITY), "score", "-Infinity");
        assertRejected(() -> det(4, 2, 0, 0, 1, -0.5, 0.5), "height", "-0.5");
    }

    @Test
    void anyFiniteScoreAndZeroSizeAreAccepted() {
        // COCO only ranks scores, so values outside [0, 1] are legal; a zero-area box simply never overlaps.
        GroundTruthBox object = gt(1, 1, 0, 0, 10, 10);
        ApResult r = BoxApEvaluator.evaluate(List.of(object),
                List.of(det(1, 1, 0, 0, 10, 10, 7.5), det(1, 1, 0, 0, 0, 0, -3), det(1, 1, 5, 5, 10, 10, 2)));
        assertEquals(1.0, r.ap50(), Boxes.TOLERANCE);
    }

    @Test
    void nullCollectionsAndElementsAreNamed() {
        GroundTruthBox object = gt(1, 1, 0, 0, 10, 10);
        assertRejected(() -> BoxApEvaluator.evaluate(Arrays.asList(object, null), List.of()), "groundTruths[1]");
        assertRejected(() -> BoxApEvaluator.evaluate(List.of(object), Arrays.asList((DetectionBox) null)), "detections[0]");
        assertRejected(() -> BoxApEvaluator.evaluate(List.of(object), List.of(), Arrays.asList(1L, null)), "imageIds[1]");
        NullPointerException missing = assertThrows(NullPointerException.class,
                () -> BoxApEvaluator.evaluate(null, List.of()));
        assertTrue(missing.getMessage().contains("groundTruths"));
    }

    private static void assertRejected(Executable action, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, action);
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), () -> "'" + e.getMessage() + "' lacks '" + fragment + "'");
        }
    }
}
