package io.seqvision.tasks.curves;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsLogTest {

    @Test
    void rowsReadBackAsSeriesWithExactValues(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("run/metrics.csv");
        MetricsLog log = MetricsLog.start(file);
        log.append(10, MetricKind.TRAIN, Map.of("loss", 2.5, "loss/detection", 0.1 + 0.2,
                "learning_rate", 1.0e-4, "images_per_second", 143.75));
        log.append(20, MetricKind.TRAIN, Map.of("loss", Double.NaN, "loss/detection", 1.0 / 3,
                "learning_rate", 9.5e-5, "images_per_second", Double.POSITIVE_INFINITY));
        log.append(20, MetricKind.EVAL, "eval/detection/ap50", 0.625);

        Map<String, MetricSeries> series = MetricsLog.read(file);
        assertEquals(List.of("images_per_second", "learning_rate", "loss", "loss/detection", "eval/detection/ap50"),
                List.copyOf(series.keySet()), "first appearance; each append in name order");
        assertEquals(List.of(new MetricPoint(10, 0.1 + 0.2), new MetricPoint(20, 1.0 / 3)),
                series.get("loss/detection").points());
        assertEquals(List.of(new MetricPoint(10, 2.5), new MetricPoint(20, Double.NaN)), series.get("loss").points());
        assertEquals(Double.POSITIVE_INFINITY, series.get("images_per_second").last().value());
        assertEquals(MetricKind.EVAL, series.get("eval/detection/ap50").kind());
        assertEquals(MetricKind.TRAIN, series.get("loss").kind());

        List<String> lines = Files.readAllLines(file);
        assertEquals("step,kind,name,value", lines.get(0));
        assertEquals("10,train,images_per_second,143.75", lines.get(1));
        assertEquals("10,train,learning_rate,1.0E-4", lines.get(2));
        assertEquals("20,train,loss,NaN", lines.get(7));
        assertEquals("20,eval,eval/detection/ap50,0.625", lines.get(9));
        assertEquals(10, lines.size(), "the header once, then one line per row");
    }

    @Test
    void eachAppendIsInTheFileWhenItReturns(@TempDir Path dir) throws Exception {
        MetricsLog log = MetricsLog.start(dir.resolve("metrics.csv"));
        log.append(1, MetricKind.TRAIN, "loss", 4.0);
        assertEquals("step,kind,name,value\n1,train,loss,4.0\n", Files.readString(log.file()));
        log.append(2, MetricKind.TRAIN, "loss", 3.0);
        assertEquals(2, MetricsLog.readRows(log.file()).size());
    }

    @Test
    void startReplacesAnOldFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("metrics.csv");
        Files.writeString(file, "step,loss\n1,2.0\n");
        MetricsLog.start(file);
        assertEquals("step,kind,name,value\n", Files.readString(file));
    }

    @Test
    void aResumedRunWritesTheSameFileAsAnUninterruptedOne(@TempDir Path dir) throws Exception {
        Path straight = dir.resolve("straight.csv");
        writeSteps(MetricsLog.start(straight), 1, 12);

        Path interrupted = dir.resolve("interrupted.csv");
        writeSteps(MetricsLog.start(interrupted), 1, 9);
        // The crash came in the middle of the next append.
        Files.writeString(interrupted, Files.readString(interrupted) + "10,train,lo");
        MetricsLog resumed = MetricsLog.resume(interrupted, 6);
        assertEquals(6, MetricsLog.readRows(interrupted).stream().mapToLong(MetricRow::step).max().orElseThrow(),
                "rows after the checkpoint's step are gone before anything new is written");
        writeSteps(resumed, 7, 12);

        assertEquals(Files.readString(straight), Files.readString(interrupted));
    }

    @Test
    void resumingWithNothingToDropLeavesTheFileAsItWas(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("metrics.csv");
        writeSteps(MetricsLog.start(file), 1, 4);
        String before = Files.readString(file);
        MetricsLog log = MetricsLog.resume(file, 4);
        assertEquals(before, Files.readString(file));
        assertThrows(IllegalArgumentException.class, () -> log.append(4, MetricKind.TRAIN, "loss", 1.0),
                "the resumed log knows step 4 already has a loss");
        log.append(5, MetricKind.TRAIN, "loss", 1.0);
    }

    @Test
    void resumingWithoutAFileStartsOne(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sub/metrics.csv");
        MetricsLog.resume(file, 100).append(101, MetricKind.TRAIN, "loss", 0.5);
        assertEquals("step,kind,name,value\n101,train,loss,0.5\n", Files.readString(file));
    }

    @Test
    void resumingAMalformedFileFailsAndKeepsIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("metrics.csv");
        String old = "step,loss,learning_rate,images_per_second\n10,2.5,1e-4,140\n";
        Files.writeString(file, old);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MetricsLog.resume(file, 5));
        assertTrue(e.getMessage().startsWith(file + ":1: expected the header 'step,kind,name,value'"), e.getMessage());
        assertEquals(old, Files.readString(file));
    }

    @Test
    void badAppendsAreRefusedAndWriteNothing(@TempDir Path dir) throws Exception {
        MetricsLog log = MetricsLog.start(dir.resolve("metrics.csv"));
        log.append(10, MetricKind.TRAIN, Map.of("loss", 1.0, "learning_rate", 1e-3));
        String before = Files.readString(log.file());

        assertMessage(() -> log.append(9, MetricKind.TRAIN, "loss", 1.0), "step 9 comes after step 10");
        assertMessage(() -> log.append(10, MetricKind.TRAIN, Map.of("images_per_second", 5.0, "loss", 1.0)),
                "metric 'loss' already has a value at step 10");
        assertMessage(() -> log.append(11, MetricKind.EVAL, "loss", 1.0), "metric 'loss' is train");
        assertMessage(() -> log.append(11, MetricKind.TRAIN, "loss,total", 1.0), "metric name 'loss,total'");
        assertMessage(() -> log.append(11, MetricKind.TRAIN, "", 1.0), "metric name ''");
        assertMessage(() -> log.append(-1, MetricKind.TRAIN, "loss", 1.0), "step -1");
        java.util.HashMap<String, Double> withNull = new java.util.HashMap<>();
        withNull.put("loss", null);
        assertMessage(() -> log.append(11, MetricKind.TRAIN, withNull), "metric 'loss' has no value");

        assertEquals(before, Files.readString(log.file()));
    }

    @Test
    void appendingToADeletedFileFailsInsteadOfWritingAHeaderlessOne(@TempDir Path dir) throws Exception {
        MetricsLog log = MetricsLog.start(dir.resolve("metrics.csv"));
        Files.delete(log.file());
        assertThrows(java.io.UncheckedIOException.class, () -> log.append(1, MetricKind.TRAIN, "loss", 1.0));
        assertFalse(Files.exists(log.file()));
    }

    @Test
    void malformedFilesAreReportedByFileAndLine(@TempDir Path dir) throws Exception {
        String h = "step,kind,name,value\n";
        expectError(dir, "", ":1: ", "the file is empty");
        expectError(dir, "step,loss\n1,2.0\n", ":1: ", "expected the header 'step,kind,name,value' but found 'step,loss'");
        expectError(dir, h + "1,train,loss,2.0\n2,train,loss\n", ":3: ", "expected 4 fields");
        expectError(dir, h + "1,train,loss,2.0,7\n", ":2: ", "expected 4 fields");
        expectError(dir, h + "one,train,loss,2.0\n", ":2: ", "step 'one' is not a whole number");
        expectError(dir, h + "-3,train,loss,2.0\n", ":2: ", "step -3");
        expectError(dir, h + "1,test,loss,2.0\n", ":2: ", "kind 'test' is neither 'train' nor 'eval'");
        expectError(dir, h + "1,train,lo ss,2.0\n", ":2: ", "metric name 'lo ss'");
        expectError(dir, h + "1,train,loss,abc\n", ":2: ", "value 'abc' is not a number");
        expectError(dir, h + "1,train,loss,0x1p3\n", ":2: ", "value '0x1p3' is not a number");
        expectError(dir, h + "1,train,loss,2.0d\n", ":2: ", "value '2.0d' is not a number");
        expectError(dir, h + "1,train,loss,\n", ":2: ", "value '' is not a number");
        expectError(dir, h + "1,train,loss,2.0\n\n", ":3: ", "expected 4 fields");
        expectError(dir, h + "5,train,loss,2.0\n3,train,loss,1.0\n", ":3: ", "step 3 comes after step 5");
        expectError(dir, h + "5,train,loss,2.0\n5,train,loss,1.0\n", ":3: ", "already has a value at step 5");
        expectError(dir, h + "5,train,ap,2.0\n6,eval,ap,1.0\n", ":3: ", "metric 'ap' is train earlier in the file");
        expectError(dir, h + "5,train,loss,2.0\n6,train,lo", ":3: ", "the file may have been cut off mid-write");
    }

    @Test
    void acceptedSpellingsOfNumbers(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("metrics.csv");
        Files.writeString(file, "step,kind,name,value\r\n1,train,a,-2.5e-3\r\n1,train,b,.5\n1,train,c,-Infinity\n"
                + "1,train,d,7\n2,train,a,3.");
        Map<String, MetricSeries> series = MetricsLog.read(file);
        assertEquals(List.of(new MetricPoint(1, -2.5e-3), new MetricPoint(2, 3.0)), series.get("a").points(),
                "CRLF lines, and a complete last line without its newline, are read");
        assertEquals(0.5, series.get("b").last().value());
        assertEquals(Double.NEGATIVE_INFINITY, series.get("c").last().value());
        assertEquals(7.0, series.get("d").last().value());
    }

    private static void expectError(Path dir, String content, String line, String fragment) throws Exception {
        Path file = dir.resolve("bad.csv");
        Files.writeString(file, content);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MetricsLog.read(file),
                () -> "no error for " + content);
        assertTrue(e.getMessage().startsWith(file + line), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }

    private static void assertMessage(Runnable action, String fragment) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, action::run);
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }

    /** What a trainer logs: every step's losses and learning rate, an evaluation every fifth step. */
    private static void writeSteps(MetricsLog log, int from, int to) {
        for (int step = from; step <= to; step++) {
            log.append(step, MetricKind.TRAIN, Map.of("loss", 5.0 / step, "loss/caption", 3.0 / step,
                    "learning_rate", 1e-3 * step / 12));
            if (step % 5 == 0) {
                log.append(step, MetricKind.EVAL, Map.of("eval/detection/ap50", step / 20.0, "eval/caption/bleu4",
                        step / 40.0));
            }
        }
    }
}
