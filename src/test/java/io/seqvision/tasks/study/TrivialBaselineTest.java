package io.seqvision.tasks.study;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqvision.tasks.TaskKind;
import io.seqvision.tasks.data.MultiTaskDataset;
import io.seqvision.tasks.training.TrainingFixtures;
import io.seqvision.tokenizers.CocoKeypoints;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The trivial baseline on data where every mask is its box and every pose the same grid within its box
 * ({@link TrainingFixtures#syntheticDataset}): there the mean pose and the box mask are exact on the
 * ground-truth boxes, while one mean box per class on every image is not.
 */
class TrivialBaselineTest {

    private static final MultiTaskDataset DATA = TrainingFixtures.syntheticDataset(12, 3);
    private static final Set<TaskKind> ALL = EnumSet.allOf(TaskKind.class);

    @Test
    void theMeanRelativePoseIsTheGridEveryPersonShares() {
        double[][] pose = TrivialBaseline.meanRelativePose(DATA);
        for (int k = 0; k < CocoKeypoints.COUNT; k++) {
            assertArrayEquals(new double[] {(k % 4 + 0.5) / 4, (k / 4 + 0.5) / 5}, pose[k], 1e-9, "keypoint " + k);
        }
    }

    @Test
    void onTheGroundTruthBoxesTheBoxMaskAndMeanPoseAreExact() {
        Map<String, Double> figures = TrivialBaseline.figures(DATA, DATA, ALL, true);
        for (String figure : new String[] {"segmentation.gt_box_ap", "segmentation.gt_box_ap50", "keypoints.gt_box_ap",
                "keypoints.gt_box_ap50", "keypoints.gt_box_mean_oks"}) {
            assertEquals(1.0, figures.get(figure), 1e-9, figure);
        }
        // the same mask and pose placed in each class's mean box, on every image
        assertTrue(figures.get("detection.ap50") < 0.5, figures.toString());
        assertTrue(figures.get("segmentation.ap") < 0.5 && figures.get("keypoints.ap") < 0.5, figures.toString());
    }

    @Test
    void withoutGroundTruthPromptsThereAreNoGroundTruthBoxFigures() {
        Map<String, Double> figures = TrivialBaseline.figures(DATA, DATA, ALL, false);
        assertTrue(figures.containsKey("keypoints.ap") && figures.containsKey("captioning.cider"), figures.toString());
        assertFalse(figures.keySet().stream().anyMatch(name -> name.contains("gt_box")), figures.toString());
    }
}
