package io.seqvision.tasks.training;

import io.seqvision.tasks.storage.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Tracks the best evaluation of a run by the config's {@code eval.best_metric}, persisted in
 * {@code best.txt} ({@code step value}) so that a resumed run keeps comparing against it.
 */
final class BestModel {

    /** The headline figures averaged by {@code score}, one per task that reports it. */
    static final List<String> SCORE_PARTS =
            List.of("detection.ap50", "segmentation.ap50", "keypoints.ap50", "captioning.bleu4");

    private final Path file;
    private final String metric;
    private double best = Double.NEGATIVE_INFINITY;

    BestModel(RunDirectory run, String metric, long startStep) {
        this.file = run.root().resolve("best.txt");
        this.metric = metric;
        if (startStep > 0 && Files.isRegularFile(file)) {
            try {
                String[] parts = Files.readString(file).trim().split("\\s+");
                best = Double.parseDouble(parts[1]);
            } catch (IOException | RuntimeException e) {
                throw new IllegalStateException("cannot resume: unreadable " + file + ": " + e.getMessage(), e);
            }
        }
    }

    /** The value {@code metric} picks from {@code scores} ("score": the mean of {@link #SCORE_PARTS} present). */
    static double value(String metric, Map<String, Double> scores) {
        if (!metric.equals("score")) {
            Double v = scores.get(metric);
            if (v == null) {
                throw new IllegalArgumentException("eval.best_metric '" + metric + "' is not among the figures "
                        + scores.keySet() + " (is its task trained?)");
            }
            return v;
        }
        double sum = 0;
        int count = 0;
        for (String part : SCORE_PARTS) {
            Double v = scores.get(part);
            if (v != null && !v.isNaN()) {
                sum += v;
                count++;
            }
        }
        return count == 0 ? Double.NaN : sum / count;
    }

    /** @return true when {@code scores} beat the best so far (which it then becomes) */
    boolean offer(long step, Map<String, Double> scores) {
        double v = value(metric, scores);
        if (!(v > best)) {
            return false;
        }
        best = v;
        AtomicFiles.writeString(file, String.format(Locale.ROOT, "%d %.17g%n", step, v));
        return true;
    }

    static String describe(Map<String, Double> scores) {
        return new TreeMap<>(scores).entrySet().stream()
                .map(e -> String.format(Locale.ROOT, "%s %.3f", e.getKey(), e.getValue()))
                .collect(Collectors.joining(", "));
    }
}
