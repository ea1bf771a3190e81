package io.seqvision.tasks.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Agreement with pycocotools 2.0.11 (COCOeval, iouType 'keypoints', default parameters) on {@link
 * KeypointDatasetGenerator} data sets. The expected arrays are COCOeval.stats as printed by
 * src/test/python/coco_reference.py ({@code keypoints SEED SEED}), which rebuilds the same people
 * and loads the detections through COCO.loadRes. The same comparison over seeds 0-299 (98 of them
 * with more than 20 detections on an image, 1,028 people without labelled keypoints, 539 crowds)
 * agreed to within 1.8e-15 on all 6,000 values.
 */
class KeypointApPycocotoolsReferenceTest {

    private static final double TOLERANCE = 1e-12;

    @Test
    void seedZeroMatchesPycocotools() {
        // 13 images (4 without people), 19 people (2 crowds, 3 without labelled keypoints),
        // 198 detections, up to 34 on one image.
        KeypointDatasetGenerator.Dataset data = KeypointDatasetGenerator.generate(0);
        assertEquals(19, data.groundTruths().size());
        assertEquals(198, data.detections().size());
        assertStats(new double[] {0.2226168025488795, 0.25163602074493163, 0.2515066216664099,
                0.4940452616690239, 0.08214570867432495, 0.7708333333333334, 0.8333333333333333,
                0.8333333333333333, 0.7, 1.0},
                KeypointApEvaluator.evaluate(data.groundTruths(), data.detections(), data.imageIds()));
        assertStats(new double[] {0.26490578872369813, 0.3023447120831486, 0.30205785284410785,
                0.5037334983498349, 0.10433717321311961, 0.7708333333333334, 0.8333333333333333,
                0.8333333333333333, 0.7, 1.0},
                KeypointApEvaluator.evaluate(data.groundTruths(), data.detections()));
    }

    @Test
    void seedFourteenMatchesPycocotools() {
        // 16 images (5 without people), 29 people (3 crowds, 8 without labelled keypoints),
        // 335 detections.
        KeypointDatasetGenerator.Dataset data = KeypointDatasetGenerator.generate(14);
        assertEquals(29, data.groundTruths().size());
        assertEquals(335, data.detections().size());
        assertStats(new double[] {0.08738041040539253, 0.11365739791083485, 0.08142772481582522,
                0.025316633167076105, 0.25731067569028926, 0.6785714285714286, 0.7321428571428572,
                0.6964285714285714, 0.4333333333333333, 0.7875},
                KeypointApEvaluator.evaluate(data.groundTruths(), data.detections(), data.imageIds()));
        assertStats(new double[] {0.11348729866804277, 0.1460190661923335, 0.10430385059782575,
                0.047847552721699854, 0.3534362161507887, 0.6785714285714286, 0.7321428571428572,
                0.6964285714285714, 0.4333333333333333, 0.7875},
                KeypointApEvaluator.evaluate(data.groundTruths(), data.detections()));
    }

    private static void assertStats(double[] expected, KeypointApResult actual) {
        assertArrayEquals(expected, actual.stats(), TOLERANCE, actual::format);
    }
}
