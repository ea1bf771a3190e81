package io.seqvision.web.insight;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqvision.web.api.LearningCurves;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsCsvTest {

    @TempDir
    Path dir;

    @Test
    void readsColumnsAndRowsAndToleratesAHalfWrittenLastLine() throws Exception {
        Path file = dir.resolve("metrics.csv");
        Files.writeString(file, "step,loss,learning_rate\n50,5.248709,3.333333e-04\n100,NaN,6.666667e-04\n\n150,4.1");
        LearningCurves curves = MetricsCsv.read(file);
        assertEquals(List.of("step", "loss", "learning_rate"), curves.columns());
        assertEquals(2, curves.rows().size());
        assertEquals(List.of(50.0, 5.248709, 3.333333e-04), curves.rows().get(0));
        assertNull(curves.rows().get(1).get(1), "NaN becomes null, which JSON can carry");
    }

    @Test
    void theTrainersLongFormatIsPivotedToOneColumnPerMetric() throws Exception {
        Path file = dir.resolve("metrics.csv");
        io.seqvision.tasks.curves.MetricsLog log = io.seqvision.tasks.curves.MetricsLog.start(file);
        log.append(50, io.seqvision.tasks.curves.MetricKind.TRAIN, java.util.Map.of("loss", 5.0, "loss/detection", 5.5));
        log.append(100, io.seqvision.tasks.curves.MetricKind.TRAIN, java.util.Map.of("loss", 4.0, "loss/detection", 4.5));
        log.append(100, io.seqvision.tasks.curves.MetricKind.EVAL, "detection.ap50", 0.25);
        LearningCurves curves = MetricsCsv.read(file);
        assertEquals(List.of("step", "loss", "loss/detection", "detection.ap50"), curves.columns());
        assertEquals(2, curves.rows().size());
        assertEquals(java.util.Arrays.asList(50.0, 5.0, 5.5, null), curves.rows().get(0));
        assertEquals(List.of(100.0, 4.0, 4.5, 0.25), curves.rows().get(1));
    }

    @Test
    void aBadRowInTheMiddleIsNamed() throws Exception {
        Path file = dir.resolve("metrics.csv");
        Files.writeString(file, "step,loss\n50,5.2\n100\n150,4.0\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MetricsCsv.read(file));
        assertTrue(e.getMessage().contains("line 3") && e.getMessage().contains("metrics.csv"), e.getMessage());
        Files.writeString(file, "");
        assertThrows(IllegalArgumentException.class, () -> MetricsCsv.read(file));
    }
}
