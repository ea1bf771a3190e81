package io.seqvision.tasks.metrics;

final class FieldChecks {

    private FieldChecks() {}

    static void requireFinite(String where, String field, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(where + ": " + field + " must be finite, got " + value);
        }
    }

    static void requireNonNegative(String where, String field, double value) {
        if (!Double.isFinite(value) || value < 0) {
            throw new IllegalArgumentException(
                    where + ": " + field + " must be finite and >= 0, got " + value);
        }
    }
}
