package io.seqvision.tasks.curves;

import java.util.Locale;

/** Axis ticks at round numbers (1, 2 or 5 times a power of ten) and their labels. */
final class NiceTicks {

    private NiceTicks() {}

    /** The spacing of about {@code target} ticks over [lo, hi]; hi must exceed lo. */
    static double spacing(double lo, double hi, int target) {
        double raw = (hi - lo) / target;
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        double normalized = raw / magnitude;
        double nice = normalized < 1.5 ? 1 : normalized < 3 ? 2 : normalized < 7 ? 5 : 10;
        return nice * magnitude;
    }

    /** The multiples of {@code spacing} inside [lo, hi], computed as k * spacing so no error accumulates. */
    static double[] ticks(double lo, double hi, double spacing) {
        long first = (long) Math.ceil(lo / spacing - 1e-9);
        long last = (long) Math.floor(hi / spacing + 1e-9);
        int n = (int) Math.max(0, last - first + 1);
        double[] ticks = new double[n];
        for (int i = 0; i < n; i++) {
            ticks[i] = (first + i) * spacing;
        }
        return ticks;
    }

    /**
     * A tick label with as many digits as the spacing needs: {@code 0.25}, {@code 120}, or {@code
     * 2.5e-4} (no trailing zeros) for values below 1e-3 or from 1e5 on.
     */
    static String label(double value, double spacing) {
        if (Math.abs(value) < spacing * 1e-6) {
            return "0";
        }
        int spacingExponent = (int) Math.floor(Math.log10(spacing) + 1e-9);
        double magnitude = Math.abs(value);
        if (magnitude < 1e-3 || magnitude >= 1e5) {
            int exponent = (int) Math.floor(Math.log10(magnitude) + 1e-9);
            int decimals = Math.max(0, exponent - spacingExponent);
            String mantissa = String.format(Locale.ROOT, "%." + decimals + "f", value / Math.pow(10, exponent));
            // 1e-4 beside 1.5e-4 reads better than 1.0e-4.
            if (mantissa.contains(".")) {
                mantissa = mantissa.replaceAll("\\.?0+$", "");
            }
            return mantissa + "e" + exponent;
        }
        return String.format(Locale.ROOT, "%." + Math.max(0, -spacingExponent) + "f", value);
    }

    /** A training-step label: whole numbers, in thousands ({@code 12k}, {@code 2.5k}) from 10000 on. */
    static String stepLabel(double value, double spacing, double axisMax) {
        if (axisMax < 10_000) {
            return String.format(Locale.ROOT, "%d", Math.round(value));
        }
        String thousands = label(value / 1000, spacing / 1000);
        return thousands.equals("0") ? "0" : thousands + "k";
    }
}
