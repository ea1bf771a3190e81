package io.seqvision.tasks.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code tasks:} block and the multi-task keys: defaults, and errors that name file and key. */
class TasksConfigTest {

    private static String error(String yaml) {
        return assertThrows(ConfigException.class, () -> ConfigLoader.parse(yaml, "m.yaml")).getMessage();
    }

    @Test
    void defaultsTrainDetectionOnly() {
        TasksConfig tasks = ConfigLoader.defaults().tasks();
        assertTrue(tasks.detection().enabled());
        assertFalse(tasks.segmentation().task().enabled());
        assertFalse(tasks.keypoints().task().enabled());
        assertFalse(tasks.captioning().task().enabled());
        assertEquals(1, ConfigLoader.defaults().training().gradientAccumulation());
    }

    @Test
    void theShippedMultiTaskConfigTrainsAllFour() {
        SeqVisionConfig c = ConfigLoader.load(java.nio.file.Path.of("configs/shapes-multitask.yaml"));
        assertTrue(c.tasks().segmentation().task().enabled() && c.tasks().keypoints().task().enabled()
                && c.tasks().captioning().task().enabled() && c.tasks().detection().enabled());
        assertTrue(c.eval().every() > 0);
    }

    @Test
    void poseTestViewsAndTheKeypointLossAreChecked() {
        assertEquals(List.of(1.4), ConfigLoader.defaults().tasks().keypoints().testWindows());
        assertFalse(ConfigLoader.defaults().tasks().keypoints().flipTest());
        String empty = error("tasks: {keypoints: {test_windows: []}}");
        assertTrue(empty.contains("tasks.keypoints.test_windows") && empty.contains("m.yaml"), empty);
        String small = error("tasks: {keypoints: {test_windows: [1.4, 0.5]}}");
        assertTrue(small.contains("tasks.keypoints.test_windows") && small.contains("0.5"), small);
        String many = error("tasks: {keypoints: {test_windows: [1.1, 1.2, 1.3, 1.4, 1.5, 1.6, 1.7, 1.8, 1.9],"
                + " flip_test: true}}");
        assertTrue(many.contains("views per person") && many.contains("18"), many);
        String loss = error("training: {auxiliary_keypoint_loss_weight: -1}");
        assertTrue(loss.contains("training.auxiliary_keypoint_loss_weight"), loss);
        KeypointsConfig views = ConfigLoader.parse("tasks: {keypoints: {test_windows: [1.3, 1.5], flip_test: true}}",
                "m.yaml").tasks().keypoints();
        assertEquals(4, views.views());
    }

    @Test
    void precisionAndDevicesAreCheckedWithReasons() {
        assertEquals("fp32", ConfigLoader.defaults().training().precision());
        assertEquals(0, ConfigLoader.defaults().training().devices());
        String e = error("training: {precision: bf16}");
        assertTrue(e.contains("training.precision") && e.contains("bfloat16") && e.contains("fp16"), e);
        e = error("training: {precision: fp8}");
        assertTrue(e.contains("training.precision") && e.contains("'fp8'") && e.contains("fp32"), e);
        e = error("training: {devices: -1}");
        assertTrue(e.contains("training.devices"), e);
        assertEquals("fp16", ConfigLoader.parse("training: {precision: fp16}", "m.yaml").training().precision());
    }

    @Test
    void badValuesNameTheirKey() {
        String e = error("tasks: {detection: {weight: 0}}");
        assertTrue(e.contains("m.yaml") && e.contains("at least one must be trained"), e);
        e = error("tasks: {keypoints: {weight: -1}}");
        assertTrue(e.contains("tasks.keypoints.weight"), e);
        e = error("tasks: {segmentation: {weight: 1, max_points: 2}}");
        assertTrue(e.contains("tasks.segmentation.max_points"), e);
        e = error("tasks: {segmentation: {colour: red}}");
        assertTrue(e.contains("tasks.segmentation.colour"), e);
        e = error("training: {gradient_accumulation: 0}");
        assertTrue(e.contains("training.gradient_accumulation"), e);
        e = error("training: {scale_jitter_min: 1.5, scale_jitter_max: 1.2}");
        assertTrue(e.contains("training.scale_jitter_max"), e);
        e = error("eval: {best_metric: accuracy}");
        assertTrue(e.contains("eval.best_metric") && e.contains("detection.ap50"), e);
    }

    @Test
    void aTaskWithoutItsDataFileIsRefused() {
        String e = error("tasks: {captioning: {weight: 1}}\ndata: {train: {captions: ''}}");
        assertTrue(e.contains("data.train.captions") && e.contains("tasks.captioning"), e);
        e = error("tasks: {keypoints: {weight: 1}}\ndata: {val: {keypoints: ''}}");
        assertTrue(e.contains("data.val.keypoints"), e);
    }
}
