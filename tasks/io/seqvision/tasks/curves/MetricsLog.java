package io.seqvision.tasks.curves;

import io.seqvision.tasks.storage.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A run's metrics file: CSV in long format, {@code step,kind,name,value}, one row per metric and
 * step, so a new metric name never changes the header.
 *
 * <pre>
 * step,kind,name,value
 * 100,train,learning_rate,1.0E-4
 * 100,train,loss,2.3125
 * 100,train,loss/detection,2.5
 * 1000,eval,eval/detection/ap50,0.41
 * </pre>
 *
 * <p>Every append reaches the file before the call returns (nothing is buffered in the JVM), so a
 * crash loses at most the row being written. {@link #resume} first drops the rows after the step
 * a run resumes from, so the resumed run's file has the rows an uninterrupted run's would.
 * Not thread-safe: one writer per file.
 */
public final class MetricsLog {

    private final Path file;
    private final MetricsFileFormat.Checks checks = new MetricsFileFormat.Checks();

    private MetricsLog(Path file, List<MetricRow> existing) {
        this.file = file;
        existing.forEach(checks::accept);
    }

    /** A new file holding just the header, replacing (atomically) any file already there. */
    public static MetricsLog start(Path file) {
        AtomicFiles.writeString(file, MetricsFileFormat.HEADER + "\n");
        return new MetricsLog(file, List.of());
    }

    /**
     * Continues a run resumed from a checkpoint taken at {@code step}: rows with a larger step were
     * written after that checkpoint and are dropped (the file is rewritten atomically), as is a last
     * line cut off mid-write. A missing file is started afresh.
     *
     * @throws IllegalArgumentException naming the file and line when the file is not a metrics file
     */
    public static MetricsLog resume(Path file, long step) {
        if (step < 0) {
            throw new IllegalArgumentException("cannot resume " + file + " at negative step " + step);
        }
        if (!Files.exists(file)) {
            return start(file);
        }
        String content = MetricsFileFormat.readContent(file);
        List<MetricRow> rows = MetricsFileFormat.parse(file, content, true);
        List<MetricRow> kept = rows.stream().filter(r -> r.step() <= step).toList();
        if (kept.size() < rows.size() || !content.endsWith("\n")) {
            StringBuilder text = new StringBuilder(MetricsFileFormat.HEADER).append('\n');
            kept.forEach(r -> text.append(r.toLine()).append('\n'));
            AtomicFiles.writeString(file, text.toString());
        }
        return new MetricsLog(file, kept);
    }

    public Path file() {
        return file;
    }

    public void append(long step, MetricKind kind, String name, double value) {
        append(step, kind, Map.of(name, value));
    }

    /**
     * Appends one row per entry, ordered by name (so the file does not depend on the map's
     * iteration order), in one write.
     *
     * @throws IllegalArgumentException when a name is not allowed (see {@link MetricRow}), the step
     *     is below one already written, or a metric already has a value at this step; nothing is
     *     written then
     */
    public void append(long step, MetricKind kind, Map<String, Double> values) {
        List<MetricRow> rows = new ArrayList<>();
        for (Map.Entry<String, Double> e : new TreeMap<>(values).entrySet()) {
            if (e.getValue() == null) {
                throw new IllegalArgumentException("cannot append to " + file + ": metric '" + e.getKey()
                        + "' has no value (null) at step " + step);
            }
            MetricRow row = new MetricRow(step, kind, e.getKey(), e.getValue());
            try {
                checks.check(row);
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException("cannot append to " + file + ": " + ex.getMessage(), ex);
            }
            rows.add(row);
        }
        if (rows.isEmpty()) {
            return;
        }
        StringBuilder text = new StringBuilder();
        rows.forEach(r -> text.append(r.toLine()).append('\n'));
        try {
            // APPEND without CREATE: a file deleted under a running job is an error, not a headerless file.
            Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to metrics file " + file + ": " + e, e);
        }
        rows.forEach(checks::accept);
    }

    /**
     * The file's rows in file order.
     *
     * @throws IllegalArgumentException naming the file and line of the first malformed line
     */
    public static List<MetricRow> readRows(Path file) {
        return MetricsFileFormat.parse(file, MetricsFileFormat.readContent(file), false);
    }

    /**
     * The file as one series per metric name, in order of first appearance; each series in step
     * order.
     *
     * @throws IllegalArgumentException naming the file and line of the first malformed line
     */
    public static Map<String, MetricSeries> read(Path file) {
        Map<String, List<MetricPoint>> points = new LinkedHashMap<>();
        Map<String, MetricKind> kinds = new LinkedHashMap<>();
        for (MetricRow row : readRows(file)) {
            points.computeIfAbsent(row.name(), n -> new ArrayList<>()).add(new MetricPoint(row.step(), row.value()));
            kinds.put(row.name(), row.kind());
        }
        Map<String, MetricSeries> series = new LinkedHashMap<>();
        points.forEach((name, list) -> series.put(name, new MetricSeries(name, kinds.get(name), list)));
        return Collections.unmodifiableMap(series);
    }
}
