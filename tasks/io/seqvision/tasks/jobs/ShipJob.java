package io.seqvision.tasks.jobs;

import io.seqvision.tasks.config.SeqVisionConfig;
import io.seqvision.tasks.config.ShapesDataConfig;
import io.seqvision.tasks.data.shapes.ShapesGenerator;
import io.seqvision.tasks.data.shapes.ShapesOptions;
import io.seqvision.tasks.eval.EvaluationResult;
import io.seqvision.tasks.eval.FiguresTable;
import io.seqvision.tasks.model.ModelBundle;
import io.seqvision.tasks.model.ShippedModel;
import io.seqvision.tasks.storage.AtomicFiles;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * Ships a trained model: evaluates it on its held-out split and writes the model with its figures
 * table into a folder in one atomic step, so that the folder is never half old, half new. The
 * shipped-model test recomputes the figures the same way ({@link #evaluateHeldOut}).
 */
public final class ShipJob {

    private ShipJob() {}

    /**
     * Evaluates a model on its held-out split. Shapes data its config generates is generated afresh
     * (the held-out split alone, a pure function of the generator's seed) into {@code scratch}, so
     * the figures do not depend on what a data folder holds; other data is read where the config
     * points.
     */
    public static EvaluationResult evaluateHeldOut(Path modelDir, Path scratch, PrintStream out) {
        SeqVisionConfig config = ModelBundle.read(modelDir).config();
        ShapesDataConfig generate = config.data().generate();
        if (generate == null) {
            return TrainingJob.evaluate(modelDir, 0, null, out);
        }
        try {
            Path data = generateHeldOut(config, scratch);
            Path overlay = scratch.resolve("held-out.yaml");
            Path annotations = data.resolve("annotations");
            Files.writeString(overlay, String.format(Locale.ROOT,
                    "data:%n  val:%n    images: '%s'%n    instances: '%s'%n    keypoints: '%s'%n    captions: '%s'%n",
                    data.resolve("images").resolve("val"), annotations.resolve("instances_val.json"),
                    annotations.resolve("person_keypoints_val.json"), annotations.resolve("captions_val.json")));
            return TrainingJob.evaluate(modelDir, 0, overlay, out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the evaluation overlay into " + scratch + ": " + e.getMessage(), e);
        }
    }

    /**
     * Generates the held-out split of a config's shapes data alone (no training images; the same
     * images as the full data set's) into {@code scratch/held-out}.
     *
     * @return that folder ({@code images/val/}, {@code annotations/*_val.json})
     * @throws IllegalArgumentException when the config does not generate its data
     */
    public static Path generateHeldOut(SeqVisionConfig config, Path scratch) {
        ShapesDataConfig generate = config.data().generate();
        if (generate == null) {
            throw new IllegalArgumentException("the config of " + config.name() + " does not generate shapes data");
        }
        try {
            Path data = Files.createDirectories(scratch.resolve("held-out"));
            new ShapesGenerator(ShapesOptions.defaults().withSeed(generate.seed()).withImages(0, generate.valImages()))
                    .generate(data);
            return data;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot generate the held-out split into " + scratch + ": " + e.getMessage(), e);
        }
    }

    /** What a model's figures were measured on, in words. */
    public static String splitDescription(SeqVisionConfig config) {
        ShapesDataConfig generate = config.data().generate();
        return generate == null ? "the config's held-out split (" + config.data().val().instances() + ")"
                : "the shapes generator's held-out split (generator " + ShapesGenerator.VERSION + ", seed "
                        + generate.seed() + ")";
    }

    /**
     * Evaluates {@code modelDir} on its held-out split, then replaces {@code target} with a copy of
     * the model, its figures ({@value ShippedModel#FIGURES_JSON}, {@value ShippedModel#FIGURES_MARKDOWN}) and
     * its run's {@code metrics.csv} when there is one (next to the model folder, or in it).
     *
     * @return the figures shipped
     */
    public static FiguresTable ship(Path modelDir, Path target, PrintStream out) {
        ModelBundle bundle = ModelBundle.read(modelDir);
        if (modelDir.toAbsolutePath().normalize().equals(target.toAbsolutePath().normalize())) {
            throw new IllegalArgumentException("the model to ship is already at " + target
                    + "; ship a model from elsewhere (e.g. runs/<name>/model)");
        }
        Path scratch;
        EvaluationResult evaluation;
        try {
            scratch = Files.createTempDirectory("seqvision-ship");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a scratch folder: " + e.getMessage(), e);
        }
        try {
            evaluation = evaluateHeldOut(modelDir, scratch, out);
        } finally {
            try {
                AtomicFiles.deleteRecursively(scratch);
            } catch (IOException ignored) {
                // a scratch folder left in the temporary directory is harmless
            }
        }
        FiguresTable table = new FiguresTable(bundle.config().name(), bundle.step(),
                splitDescription(bundle.config()), evaluation.predictions().size(), evaluation.figures());
        Path metrics = metricsOf(modelDir);
        AtomicFiles.writeDirectory(target, temp -> {
            for (String file : ShippedModel.FILES) {
                Path source = modelDir.resolve(file);
                if (Files.isRegularFile(source)) {
                    Files.copy(source, temp.resolve(file), StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
            if (metrics != null) {
                Files.copy(metrics, temp.resolve(ShippedModel.METRICS_FILE), StandardCopyOption.REPLACE_EXISTING);
            }
            Files.writeString(temp.resolve(ShippedModel.FIGURES_JSON), table.toJson());
            Files.writeString(temp.resolve(ShippedModel.FIGURES_MARKDOWN), table.toMarkdown());
        });
        out.println("shipped " + modelDir + " to " + target + " with its held-out figures ("
                + ShippedModel.FIGURES_JSON + ", " + ShippedModel.FIGURES_MARKDOWN + ")");
        return table;
    }

    /** The run's metrics file: in the model folder (a shipped model), else next to it (runs/<name>/), or null. */
    private static Path metricsOf(Path modelDir) {
        Path inside = modelDir.resolve(ShippedModel.METRICS_FILE);
        if (Files.isRegularFile(inside)) {
            return inside;
        }
        Path parent = modelDir.toAbsolutePath().getParent();
        Path beside = parent == null ? null : parent.resolve(ShippedModel.METRICS_FILE);
        return beside != null && Files.isRegularFile(beside) ? beside : null;
    }
}
