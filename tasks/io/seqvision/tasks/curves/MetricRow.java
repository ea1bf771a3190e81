package io.seqvision.tasks.curves;

import java.util.regex.Pattern;

/**
 * One line of a metrics file: {@code step,kind,name,value}.
 *
 * <p>Names are made of letters, digits and {@code _ . / -} (for example {@code loss/detection} or
 * {@code eval/caption/bleu4}), so a line never needs CSV quoting.
 */
public record MetricRow(long step, MetricKind kind, String name, double value) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_./-]*");

    public MetricRow {
        if (step < 0) {
            throw new IllegalArgumentException("step " + step + " of metric '" + name + "' is negative");
        }
        if (kind == null) {
            throw new IllegalArgumentException("metric '" + name + "' has no kind");
        }
        checkName(name);
    }

    /** @throws IllegalArgumentException naming the name when it has characters outside {@code A-Za-z0-9_./-} */
    public static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("metric name '" + name
                    + "' must be letters, digits and _ . / - (starting with a letter, digit or _)");
        }
    }

    /** The line as written, without its newline; {@link Double#toString} round-trips the value exactly. */
    String toLine() {
        return step + "," + kind.label() + "," + name + "," + value;
    }
}
