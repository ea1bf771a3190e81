package io.seqvision.tasks.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Agreement with pycocotools 2.0.11 (COCOeval, iouType 'segm', default parameters) on {@link
 * MaskDatasetGenerator} data sets. The expected arrays are COCOeval.stats as printed by
 * src/test/python/coco_reference.py ({@code masks SEED SEED}), which rebuilds the same masks,
 * encodes them with pycocotools' RLE and loads the detections through COCO.loadRes. The same
 * comparison over seeds 0-299 agreed to within 1.3e-15 on all 7,200 values.
 */
class MaskApPycocotoolsReferenceTest {

    private static final double TOLERANCE = 1e-12;

    @Test
    void seedThreeWithCrowdsAndEmptyImagesMatchesPycocotools() {
        // 13 images (4 without objects), 22 objects (2 crowds), 53 detections (4 empty masks).
        MaskDatasetGenerator.Dataset data = MaskDatasetGenerator.generate(3);
        assertEquals(22, data.groundTruths().size());
        assertEquals(53, data.detections().size());
        assertStats(new double[] {0.19236523652365234, 0.29268426842684264, 0.22667766776677664,
                0.11079207920792077, 0.7126237623762376, 0.9999999999999998, 0.26321428571428573,
                0.3848809523809524, 0.3848809523809524, 0.20793650793650792, 0.975, 1.0},
                MaskApEvaluator.evaluate(data.groundTruths(), data.detections(), data.imageIds()));
        assertStats(new double[] {0.22200534339148198, 0.34776834826339775, 0.26840326889831834,
                0.14808580858085807, 0.7126237623762376, 0.9999999999999998, 0.26321428571428573,
                0.3848809523809524, 0.3848809523809524, 0.20793650793650792, 0.975, 1.0},
                MaskApEvaluator.evaluate(data.groundTruths(), data.detections()));
    }

    @Test
    void seedFortyOneWithDetectionBurstsMatchesPycocotools() {
        // 13 images, 40 objects (4 crowds), 797 detections (50 empty), up to 172 on one image and
        // category, so the 100-detection limit decides.
        MaskDatasetGenerator.Dataset data = MaskDatasetGenerator.generate(41);
        assertEquals(40, data.groundTruths().size());
        assertEquals(797, data.detections().size());
        assertStats(new double[] {0.037993468252979, 0.06810517223461972, 0.023623429936217136,
                0.01845956444067849, 0.17623762376237626, 0.9999999999999998, 0.08968253968253968,
                0.16801587301587298, 0.2013492063492063, 0.09523809523809525, 0.9333333333333333, 1.0},
                MaskApEvaluator.evaluate(data.groundTruths(), data.detections(), data.imageIds()));
        assertStats(new double[] {0.03803551338602571, 0.06818278357918083, 0.023664067341245983,
                0.01845956444067849, 0.19322057205720575, 0.9999999999999998, 0.08968253968253968,
                0.16801587301587298, 0.2013492063492063, 0.09523809523809525, 0.9333333333333333, 1.0},
                MaskApEvaluator.evaluate(data.groundTruths(), data.detections()));
    }

    private static void assertStats(double[] expected, ApResult actual) {
        assertArrayEquals(expected, actual.stats(), TOLERANCE, actual::format);
    }
}
