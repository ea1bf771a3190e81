package io.seqvision.tasks.curves;

import java.util.Locale;

/** Whether a metric was measured while training or by an evaluation pass. */
public enum MetricKind {
    TRAIN,
    EVAL;

    /** The word written in a metrics file: {@code train} or {@code eval}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException naming the value when it is neither {@code train} nor {@code eval} */
    public static MetricKind parse(String label) {
        for (MetricKind kind : values()) {
            if (kind.label().equals(label)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("kind '" + label + "' is neither 'train' nor 'eval'");
    }
}
