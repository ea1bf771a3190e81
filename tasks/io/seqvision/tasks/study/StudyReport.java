package io.seqvision.tasks.study;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.seqvision.encoder.erf.EffectiveReceptiveField;
import io.seqvision.encoder.erf.ErfHeatmap;
import io.seqvision.tasks.config.SeqVisionConfig;
import io.seqvision.tasks.curves.LearningCurves;
import io.seqvision.tasks.curves.MetricKind;
import io.seqvision.tasks.curves.MetricSeries;
import io.seqvision.tasks.curves.MetricsLog;
import io.seqvision.tasks.storage.AtomicFiles;
import io.seqvision.tasks.storage.Png;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import javax.imageio.ImageIO;

/**
 * The study's report folder: {@code report.md} (the table, the trivial baseline, how parameters
 * and FLOPs were counted, the curves and ERFs), {@code table.md} and {@code table.csv} (one row
 * per encoder), {@code study.json} (all of it, machine-readable), {@code curves-<task>.png} (every
 * run's training loss and held-out figure for that task on one plot) and {@code erf.png} (the
 * trained encoders' effective receptive fields side by side). Every file is written atomically.
 */
public final class StudyReport {

    public static final String MARKDOWN = "report.md";
    public static final String TABLE_MARKDOWN = "table.md";
    public static final String TABLE_CSV = "table.csv";
    public static final String JSON_FILE = "study.json";
    public static final String ERF_PNG = "erf.png";
    /** Encoders whose parameter count is more than this fraction away from the median are flagged. */
    public static final double PARAMETER_TOLERANCE = 0.10;

    /**
     * Task, its figures in table order and the figure its curves plot; {@code gt_box_} figures are those
     * prompted by the ground-truth boxes ({@code eval.ground_truth_prompts}).
     */
    private static final List<List<String>> TASKS = List.of(
            List.of("detection", "ap", "ap50"),
            List.of("segmentation", "ap", "ap50", "gt_box_ap", "gt_box_ap50"),
            List.of("keypoints", "ap", "ap50", "gt_box_ap", "gt_box_ap50", "gt_box_mean_oks"),
            List.of("captioning", "bleu4", "cider"));

    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    /** What {@code study.json} holds. */
    public record Contents(String config, int imageSize, long steps, List<String> columns, List<List<String>> rows,
            Map<String, Double> baseline, long medianEncoderParameters, List<StudyRun> runs) {}

    private final SeqVisionConfig config;
    private final List<StudyRun> runs;
    private final Map<String, Double> baseline;
    private final List<String> figureNames;

    public StudyReport(SeqVisionConfig config, List<StudyRun> runs, Map<String, Double> baseline) {
        this.config = config;
        this.runs = List.copyOf(runs);
        this.baseline = new LinkedHashMap<>(baseline);
        this.figureNames = new ArrayList<>();
        for (List<String> task : TASKS) {
            for (String figure : task.subList(1, task.size())) {
                String name = task.get(0) + "." + figure;
                if (baseline.containsKey(name) || runs.stream().anyMatch(r -> r.figures().containsKey(name))) {
                    figureNames.add(name);
                }
            }
        }
    }

    /** Writes every file of the report into {@code out}; {@code runDirectory} finds each encoder's run. */
    public void write(Path out, Function<String, Path> runDirectory) {
        for (List<String> task : TASKS) {
            writeCurves(task, out, runDirectory);
        }
        writeErfMontage(out.resolve(ERF_PNG), runDirectory);
        AtomicFiles.writeString(out.resolve(TABLE_MARKDOWN), tableMarkdown());
        AtomicFiles.writeString(out.resolve(TABLE_CSV), csv());
        AtomicFiles.writeString(out.resolve(MARKDOWN), markdown(out, runDirectory));
        try {
            AtomicFiles.writeString(out.resolve(JSON_FILE), JSON.writerWithDefaultPrettyPrinter()
                    .writeValueAsString(contents()) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads a {@code study.json}. */
    public static Contents read(Path file) {
        try {
            return JSON.readValue(Files.readString(file), Contents.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the study " + file + ": " + e.getMessage(), e);
        }
    }

    Contents contents() {
        List<List<String>> rows = new ArrayList<>();
        for (StudyRun run : runs) {
            rows.add(row(run, false));
        }
        rows.add(baselineRow(false));
        return new Contents(config.name(), config.model().imageSize(), config.training().steps(), columns(), rows,
                baseline, medianParameters(), runs);
    }

    /** The table's column titles. */
    List<String> columns() {
        List<String> columns = new ArrayList<>(List.of("encoder", "status"));
        columns.addAll(figureNames);
        columns.addAll(List.of("encoder params", "vs median", "encoder MMACs/img", "total MMACs/img",
                "train img/s", "infer img/s", "ERF 20/50/99% (px)", "error"));
        return columns;
    }

    private List<String> row(StudyRun run, boolean markdown) {
        List<String> cells = new ArrayList<>(List.of(run.encoder(), run.status()));
        boolean done = run.finished();
        for (String name : figureNames) {
            Double value = run.figures().get(name);
            cells.add(value == null ? "" : String.format(Locale.ROOT, "%.3f", value));
        }
        long median = medianParameters();
        cells.add(done ? Long.toString(run.encoderParameters()) : "");
        cells.add(done && median > 0 ? String.format(Locale.ROOT, "%+.1f%%",
                100.0 * (run.encoderParameters() - median) / median) : "");
        cells.add(done ? String.format(Locale.ROOT, "%.1f", run.encoderMacs() / 1e6) : "");
        cells.add(done ? String.format(Locale.ROOT, "%.1f", (run.encoderMacs() + run.decoderMacs()) / 1e6) : "");
        cells.add(done ? String.format(Locale.ROOT, "%.1f", run.trainImagesPerSecond()) : "");
        cells.add(done ? String.format(Locale.ROOT, "%.1f", run.inferImagesPerSecond()) : "");
        cells.add(done ? run.erf20() + "/" + run.erf50() + "/" + run.erf99() : "");
        String error = run.error() == null ? "" : run.error();
        cells.add(markdown ? error.replace("|", "\\|").replace("\n", " ") : error);
        return cells;
    }

    private List<String> baselineRow(boolean markdown) {
        List<String> cells = new ArrayList<>(List.of(markdown ? "*trivial baseline*" : "trivial baseline",
                "computed"));
        for (String name : figureNames) {
            Double value = baseline.get(name);
            cells.add(value == null ? "" : String.format(Locale.ROOT, "%.3f", value));
        }
        for (int i = 0; i < 8; i++) {
            cells.add("");
        }
        return cells;
    }

    /** The median encoder parameter count of the finished runs, 0 when none finished. */
    long medianParameters() {
        long[] counts = runs.stream().filter(StudyRun::finished).mapToLong(StudyRun::encoderParameters).sorted()
                .toArray();
        if (counts.length == 0) {
            return 0;
        }
        int mid = counts.length / 2;
        return counts.length % 2 == 1 ? counts[mid] : (counts[mid - 1] + counts[mid]) / 2;
    }

    String tableMarkdown() {
        StringBuilder md = new StringBuilder();
        List<String> columns = columns();
        md.append("| ").append(String.join(" | ", columns)).append(" |\n");
        md.append("|").append("---|".repeat(columns.size())).append('\n');
        for (StudyRun run : runs) {
            md.append("| ").append(String.join(" | ", row(run, true))).append(" |\n");
        }
        md.append("| ").append(String.join(" | ", baselineRow(true))).append(" |\n");
        return md.toString();
    }

    String csv() {
        StringBuilder csv = new StringBuilder();
        csv.append(String.join(",", columns().stream().map(StudyReport::csvCell).toList())).append('\n');
        for (StudyRun run : runs) {
            csv.append(String.join(",", row(run, false).stream().map(StudyReport::csvCell).toList())).append('\n');
        }
        csv.append(String.join(",", baselineRow(false).stream().map(StudyReport::csvCell).toList())).append('\n');
        return csv.toString();
    }

    private static String csvCell(String value) {
        if (value.contains(",") || value.contains("\"") || value.contains("\n")) {
            return "\"" + value.replace("\"", "\"\"") + "\"";
        }
        return value;
    }

    private String markdown(Path out, Function<String, Path> runDirectory) {
        StringBuilder md = new StringBuilder();
        md.append("# Encoder study: ").append(config.name()).append("\n\n");
        md.append(String.format(Locale.ROOT, "Each encoder trained the same config (image side %d px, %d steps of %d"
                + " images, seed %d, the same decoder and data), then was evaluated on the held-out split%s.%n%n",
                config.model().imageSize(), config.training().steps(), config.training().batchSize(), config.seed(),
                config.eval().maxImages() > 0 ? " (first " + config.eval().maxImages() + " images)" : ""));
        md.append(tableMarkdown()).append('\n');
        md.append("Trivial baseline (computed from the training split, scored like the encoders): ")
                .append(TrivialBaseline.DESCRIPTION).append(".");
        List<String> below = new ArrayList<>();
        for (StudyRun run : runs) {
            for (String name : figureNames) {
                Double value = run.figures().get(name);
                Double floor = baseline.get(name);
                if (run.finished() && value != null && floor != null && value <= floor) {
                    below.add(run.encoder() + " " + name);
                }
            }
        }
        md.append(below.isEmpty() ? " Every finished run beats it on every figure.\n\n"
                : " Not above it: " + String.join(", ", below) + ".\n\n");
        md.append(parameterNote());
        md.append("\n\n**Parameters** count every scalar of the encoder (the decoder is the same for all; `total"
                + " MMACs/img` includes it); `vs median` is the difference from the median encoder of the finished"
                + " runs.\n\n**FLOPs** are multiply-adds per image (MMACs = 1e6; FLOPs are about twice that), counted analytically at the config's"
                + " image side, not timed: a convolution costs numel(weight) x H_out x W_out (depthwise and grouped"
                + " alike, large kernels as direct convolutions even where the FFT path computes them), a linear"
                + " layer in x out per token, PeLK's peripheral convolution as the dense K x K kernel it generates,"
                + " DCNv3 K^2 x C per position for its sampled sum, HorNet's global filter 4 per complex product"
                + " (FFTs not counted); norms, activations and biases are not counted. The decoder is one"
                + " teacher-forced pass over the longest task sequence: projections, attention scores and"
                + " weighted sums, MLP and logits. `ModelCost` has the formulas.\n\n**Throughput**: `train img/s`"
                + " the mean of the run's logged training windows (every session, evaluations excluded), `infer img/s` the held-out"
                + " evaluation with every task chained as at inference, on this machine.\n\n");
        md.append("## Learning curves\n\n");
        for (List<String> task : TASKS) {
            if (Files.exists(out.resolve(curvesFile(task.get(0))))) {
                md.append("![").append(task.get(0)).append("](").append(curvesFile(task.get(0))).append(")\n\n");
            }
        }
        md.append("## Effective receptive fields of the trained encoders\n\n");
        md.append(String.format(Locale.ROOT, "The gradient of the centre output with respect to the input, over %d"
                + " held-out images; sides of the centred squares holding 20/50/99%% of it are in the table.%n%n",
                EncoderStudy.ERF_IMAGES));
        md.append("![ERFs](").append(ERF_PNG).append(")\n");
        return md.toString();
    }

    private String parameterNote() {
        long median = medianParameters();
        if (median == 0) {
            return "No run finished, so parameters could not be compared.";
        }
        List<String> outside = new ArrayList<>();
        for (StudyRun run : runs) {
            if (run.finished() && Math.abs(run.encoderParameters() - median) > PARAMETER_TOLERANCE * median) {
                outside.add(run.encoder());
            }
        }
        return outside.isEmpty()
                ? String.format(Locale.ROOT, "Parameter matching: every finished encoder is within %.0f%% of the"
                        + " median (%,d).", 100 * PARAMETER_TOLERANCE, median)
                : String.format(Locale.ROOT, "Parameter matching: NOT matched: %s differ from the median (%,d) by"
                        + " more than %.0f%%; compare their figures with that in mind.", String.join(", ", outside),
                        median, 100 * PARAMETER_TOLERANCE);
    }

    static String curvesFile(String task) {
        return "curves-" + task + ".png";
    }

    /** One plot per task: each run's training loss of the task and its held-out figure during training. */
    private void writeCurves(List<String> task, Path out, Function<String, Path> runDirectory) {
        String name = task.get(0);
        List<MetricSeries> losses = new ArrayList<>();
        List<MetricSeries> figures = new ArrayList<>();
        String figure = name + "." + task.get(1);
        for (StudyRun run : runs) {
            Path metrics = runDirectory.apply(run.encoder()).resolve("metrics.csv");
            if (!Files.isRegularFile(metrics)) {
                continue;
            }
            Map<String, MetricSeries> series = MetricsLog.read(metrics);
            MetricSeries loss = series.get("loss/" + name);
            if (loss != null) {
                losses.add(new MetricSeries(run.encoder(), MetricKind.TRAIN, loss.points()));
            }
            MetricSeries eval = series.get(figure);
            if (eval != null && eval.kind() == MetricKind.EVAL) {
                figures.add(new MetricSeries(run.encoder(), MetricKind.EVAL, eval.points()));
            }
        }
        if (losses.isEmpty() && figures.isEmpty()) {
            return;
        }
        Map<String, List<MetricSeries>> panels = new LinkedHashMap<>();
        panels.put("training loss (" + name + ")", losses);
        panels.put("held-out " + figure + " during training", figures);
        LearningCurves.builder().optTitle("encoder study, " + name + ": " + config.name()).optHeight(
                figures.isEmpty() ? 480 : 720).build().writePanels(panels, out.resolve(curvesFile(name)));
    }

    /** A trained encoder's ERF heatmap as a PNG. */
    static void writeHeatmap(EffectiveReceptiveField erf, Path png) {
        // small inputs drawn larger, so that every tile of the side-by-side image is readable
        BufferedImage image = ErfHeatmap.render(erf, Math.max(1, 192 / erf.width()));
        Png.write(png, image);
    }

    /** The finished runs' heatmaps side by side, each captioned with its encoder and its 20/50/99% sides. */
    private void writeErfMontage(Path png, Function<String, Path> runDirectory) {
        List<BufferedImage> tiles = new ArrayList<>();
        List<StudyRun> shown = new ArrayList<>();
        for (StudyRun run : runs) {
            Path file = runDirectory.apply(run.encoder()).resolve("erf.png");
            if (run.finished() && Files.isRegularFile(file)) {
                try {
                    tiles.add(ImageIO.read(file.toFile()));
                    shown.add(run);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
                }
            }
        }
        if (tiles.isEmpty()) {
            return;
        }
        int side = Math.max(160, tiles.stream().mapToInt(BufferedImage::getWidth).max().orElse(160));
        int caption = 40;
        BufferedImage montage = new BufferedImage(side * tiles.size(), side + caption, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = montage.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, montage.getWidth(), montage.getHeight());
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            for (int i = 0; i < tiles.size(); i++) {
                BufferedImage tile = tiles.get(i);
                g.drawImage(tile, i * side + (side - tile.getWidth()) / 2, (side - tile.getHeight()) / 2, null);
                StudyRun run = shown.get(i);
                g.setColor(new Color(0x222222));
                g.drawString(run.encoder(), i * side + 6, side + 15);
                g.drawString(String.format(Locale.ROOT, "20/50/99%%: %d/%d/%d px", run.erf20(), run.erf50(),
                        run.erf99()), i * side + 6, side + 32);
            }
        } finally {
            g.dispose();
        }
        Png.write(png, montage);
    }
}
