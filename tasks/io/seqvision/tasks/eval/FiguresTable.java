package io.seqvision.tasks.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A model's held-out figures as shipped beside it: {@code figures.json} (every figure at full
 * precision, what the shipped-model test compares with) and a Markdown table for people.
 *
 * @param model   the model's run name
 * @param step    the training step it was saved at
 * @param split   what it was evaluated on, in words
 * @param images  how many held-out images
 * @param figures metric name ("detection.ap50", "captioning.cider", ...) to value
 */
public record FiguresTable(String model, long step, String split, int images, Map<String, Double> figures) {

    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    /** Task, title and the figure names of one row of the Markdown table. */
    private static final List<List<String>> ROWS = List.of(
            List.of("detection", "box AP / AP50 / AP75"),
            List.of("segmentation", "mask AP / AP50 / AP75"),
            List.of("keypoints", "OKS AP / AP50 / AP75"),
            List.of("captioning", "BLEU-4 / CIDEr-D"));

    public FiguresTable {
        figures = new TreeMap<>(figures);
    }

    /** The JSON text. */
    public String toJson() {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(this) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads a {@code figures.json}. */
    public static FiguresTable read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no figures table: " + file + " is missing");
        }
        try {
            return JSON.readValue(file.toFile(), FiguresTable.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the figures table " + file + ": " + e.getMessage(), e);
        }
    }

    /** The figures as a Markdown table, three decimals, one row per task the model was evaluated on. */
    public String toMarkdown() {
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "Held-out figures of `%s` (step %d) on %d images: %s.%n%n",
                model, step, images, split));
        md.append("| task | figures | value |\n|---|---|---|\n");
        for (List<String> row : ROWS) {
            String task = row.get(0);
            List<String> names = task.equals("captioning") ? List.of("bleu4", "cider") : List.of("ap", "ap50", "ap75");
            if (!figures.containsKey(task + "." + names.get(0))) {
                continue;
            }
            StringBuilder values = new StringBuilder();
            for (String name : names) {
                values.append(values.length() == 0 ? "" : " / ")
                        .append(String.format(Locale.ROOT, "%.3f", figures.get(task + "." + name)));
            }
            md.append("| ").append(task).append(" | ").append(row.get(1)).append(" | ").append(values).append(" |\n");
        }
        md.append("\nMade by `bin/seqvision ship` (the full-precision values are in figures.json); the shipped-model"
                + " test recomputes them.\n");
        return md.toString();
    }
}
