package io.seqvision.tasks.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.seqvision.tasks.TaskKind;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TaskMixerTest {

    private static final List<TaskKind> TASKS =
            List.of(TaskKind.DETECTION, TaskKind.SEGMENTATION, TaskKind.CAPTIONING);

    @Test
    void tasksAreDrawnInProportionToTheirWeights() {
        TaskMixer mixer = new TaskMixer(TASKS, new double[] {2, 1, 1}, 5);
        Map<TaskKind, Integer> counts = new EnumMap<>(TaskKind.class);
        int draws = 20_000;
        for (long m = 0; m < draws; m++) {
            counts.merge(mixer.task(m), 1, Integer::sum);
        }
        // binomial standard deviation at n = 20000 is under 0.0036: 0.015 is four of them
        assertEquals(0.5, counts.get(TaskKind.DETECTION) / (double) draws, 0.015);
        assertEquals(0.25, counts.get(TaskKind.SEGMENTATION) / (double) draws, 0.015);
        assertEquals(0.25, counts.get(TaskKind.CAPTIONING) / (double) draws, 0.015);
    }

    @Test
    void drawsDependOnlyOnSeedAndIndexAndOccurrencesCountPerTask() {
        TaskMixer a = new TaskMixer(TASKS, new double[] {1, 1, 1}, 9);
        TaskMixer b = new TaskMixer(TASKS, new double[] {1, 1, 1}, 9);
        Map<TaskKind, Long> seen = new EnumMap<>(TaskKind.class);
        for (long m = 0; m < 300; m++) {
            TaskKind task = a.task(m);
            assertEquals(task, b.task(m));
            assertEquals(seen.getOrDefault(task, 0L), a.occurrence(m), "micro-batch " + m);
            seen.merge(task, 1L, Long::sum);
        }
        // a resumed run starts counting late and must agree
        TaskMixer resumed = new TaskMixer(TASKS, new double[] {1, 1, 1}, 9);
        TaskMixer fresh = new TaskMixer(TASKS, new double[] {1, 1, 1}, 9);
        for (long m = 0; m < 150; m++) {
            fresh.occurrence(m);
        }
        assertEquals(fresh.occurrence(150), resumed.occurrence(150));
        assertThrows(IllegalStateException.class, () -> resumed.occurrence(10));
    }

    @Test
    void aZeroOrMissingWeightIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new TaskMixer(TASKS, new double[] {1, 0, 1}, 1));
        assertThrows(IllegalArgumentException.class, () -> new TaskMixer(TASKS, new double[] {1, 1}, 1));
    }
}
