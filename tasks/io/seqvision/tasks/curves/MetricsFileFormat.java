package io.seqvision.tasks.curves;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses a metrics file, checking what {@link MetricsLog} guarantees: the header, four fields per
 * line, steps that never decrease, one value per metric and step, one kind per metric.
 */
final class MetricsFileFormat {

    static final String HEADER = "step,kind,name,value";

    private static final Pattern NUMBER =
            Pattern.compile("NaN|[+-]?Infinity|[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    private MetricsFileFormat() {}

    static String readContent(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read metrics file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * @param dropUnterminatedLast leave out a last line that lacks its newline: every append ends
     *     in one, so such a line is a write cut off by a crash
     */
    static List<MetricRow> parse(Path file, String content, boolean dropUnterminatedLast) {
        if (content.isEmpty()) {
            throw new IllegalArgumentException(file + ":1: the file is empty; expected the header '" + HEADER + "'");
        }
        boolean terminated = content.endsWith("\n");
        String[] lines = (terminated ? content.substring(0, content.length() - 1) : content).split("\n", -1);
        int count = lines.length;
        if (!terminated && dropUnterminatedLast) {
            count--;
        }
        if (count < 1 || !stripCr(lines[0]).equals(HEADER)) {
            String found = count < 1 ? "an unfinished first line" : "'" + stripCr(lines[0]) + "'";
            throw new IllegalArgumentException(file + ":1: expected the header '" + HEADER + "' but found " + found);
        }
        List<MetricRow> rows = new ArrayList<>();
        Checks checks = new Checks();
        for (int i = 1; i < count; i++) {
            String line = stripCr(lines[i]);
            int number = i + 1;
            try {
                MetricRow row = parseRow(line);
                checks.accept(row);
                rows.add(row);
            } catch (IllegalArgumentException e) {
                String cut = !terminated && i == lines.length - 1
                        ? " (the last line has no newline: the file may have been cut off mid-write)"
                        : "";
                throw new IllegalArgumentException(
                        file + ":" + number + ": " + e.getMessage() + " in line '" + line + "'" + cut, e);
            }
        }
        return rows;
    }

    private static String stripCr(String line) {
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }

    private static MetricRow parseRow(String line) {
        String[] fields = line.split(",", -1);
        if (fields.length != 4) {
            throw new IllegalArgumentException("expected 4 fields (" + HEADER + ") but found " + fields.length);
        }
        long step;
        try {
            step = Long.parseLong(fields[0]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("step '" + fields[0] + "' is not a whole number");
        }
        double value;
        try {
            value = parseValue(fields[3]);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("value '" + fields[3] + "' is not a number");
        }
        return new MetricRow(step, MetricKind.parse(fields[1]), fields[2], value);
    }

    /** Decimal numbers, NaN and Infinity; not Java's extras (hex floats, a trailing 'd' or 'f', spaces). */
    private static double parseValue(String text) {
        if (!NUMBER.matcher(text).matches()) {
            throw new NumberFormatException(text);
        }
        return Double.parseDouble(text);
    }

    /** What the whole file must satisfy, checked row by row. */
    static final class Checks {
        private long lastStep = -1;
        private final Set<String> namesAtLastStep = new HashSet<>();
        private final Map<String, MetricKind> kinds = new HashMap<>();

        void accept(MetricRow row) {
            check(row);
            if (row.step() != lastStep) {
                lastStep = row.step();
                namesAtLastStep.clear();
            }
            namesAtLastStep.add(row.name());
            kinds.put(row.name(), row.kind());
        }

        /** Throws for a row that would break the rules, and records nothing. */
        void check(MetricRow row) {
            if (row.step() < lastStep) {
                throw new IllegalArgumentException("step " + row.step() + " comes after step " + lastStep
                        + "; steps must not decrease");
            }
            if (row.step() == lastStep && namesAtLastStep.contains(row.name())) {
                throw new IllegalArgumentException("metric '" + row.name() + "' already has a value at step "
                        + row.step());
            }
            MetricKind kind = kinds.get(row.name());
            if (kind != null && kind != row.kind()) {
                throw new IllegalArgumentException("metric '" + row.name() + "' is " + kind.label()
                        + " earlier in the file but " + row.kind().label() + " here");
            }
        }

        long lastStep() {
            return lastStep;
        }
    }
}
