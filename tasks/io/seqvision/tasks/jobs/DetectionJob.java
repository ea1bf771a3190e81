package io.seqvision.tasks.jobs;

import ai.djl.ndarray.NDManager;
import io.seqvision.decoder.EncoderDecoderModel;
import io.seqvision.encoder.EncoderRegistry;
import io.seqvision.tasks.config.SeqVisionConfig;
import io.seqvision.tasks.config.ShapesDataConfig;
import io.seqvision.tasks.data.CocoDetectionData;
import io.seqvision.tasks.data.DetectionDataset;
import io.seqvision.tasks.data.ImagePreprocessor;
import io.seqvision.tasks.data.shapes.ShapesGenerator;
import io.seqvision.tasks.data.shapes.ShapesOptions;
import io.seqvision.tasks.data.shapes.ShapesSummary;
import io.seqvision.tasks.eval.DetectionEvaluator;
import io.seqvision.tasks.eval.EvaluationResult;
import io.seqvision.tasks.model.ModelBundle;
import io.seqvision.tasks.storage.AtomicFiles;
import io.seqvision.tasks.training.DetectionTrainer;
import io.seqvision.tasks.training.RunDirectory;
import io.seqvision.tasks.training.TrainingResult;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** The detection job end to end: data (generated when missing), training, evaluation of the saved model. */
public final class DetectionJob {

    /** What a job did: its training, the held-out evaluation of the model it saved, and where. */
    public record Report(TrainingResult training, EvaluationResult evaluation, RunDirectory run) {}

    /** What to do with an existing run directory of the same name. */
    public enum StartMode {
        /** Start a run; refuse if the run directory already exists. */
        NEW,
        /** Continue from the run's latest checkpoint (a fresh start when there is none). */
        RESUME,
        /** Delete the existing run directory and start again. */
        OVERWRITE
    }

    private DetectionJob() {}

    public static RunDirectory runDirectory(SeqVisionConfig config) {
        return new RunDirectory(Path.of(config.outputDir(), config.name()));
    }

    /**
     * Trains the config's detector and evaluates the saved model on the held-out split.
     *
     * @param stopAfter stop training after this step (a partial run: no final model, no evaluation)
     */
    public static Report trainAndEvaluate(SeqVisionConfig config, StartMode mode, long stopAfter, PrintStream out) {
        RunDirectory run = runDirectory(config);
        if (mode == StartMode.NEW && Files.exists(run.root())) {
            throw new IllegalArgumentException("run directory " + run.root()
                    + " already exists: resume it (--resume), overwrite it (--overwrite) or change 'name'");
        }
        ensureData(config, out);
        ImagePreprocessor preprocessor = new ImagePreprocessor(config.model().imageSize());
        long loading = System.nanoTime();
        DetectionDataset train = CocoDetectionData.load(
                Path.of(config.data().train().annotations()), Path.of(config.data().train().images()), preprocessor);
        DetectionDataset val = CocoDetectionData.load(Path.of(config.data().val().annotations()),
                Path.of(config.data().val().images()), preprocessor, train.categoryIds());
        out.printf(Locale.ROOT, "loaded %d training and %d held-out images, classes %s (%.1f s)%n",
                train.size(), val.size(), train.classNames(), (System.nanoTime() - loading) / 1e9);
        if (mode == StartMode.OVERWRITE && Files.exists(run.root())) {
            deleteRun(run);
        }
        EncoderRegistry encoders = EncoderRegistry.defaults();
        TrainingResult training = new DetectionTrainer(config, encoders, out).train(train, run, mode == StartMode.RESUME, stopAfter);
        out.printf(Locale.ROOT, "trained steps %d..%d in %.1f s, %.1f images/s, loss %.4f -> %.4f%n",
                training.startStep(), training.endStep(), training.seconds(), training.imagesPerSecond(),
                training.meanFirst(20), training.meanLast(20));
        if (training.modelDir() == null) {
            return new Report(training, null, run);
        }
        EvaluationResult evaluation = evaluate(training.modelDir(), val, config, encoders);
        report(evaluation, out);
        AtomicFiles.writeString(run.root().resolve("eval.txt"), evaluation.ap().format());
        return new Report(training, evaluation, run);
    }

    /** Evaluates a saved model on its config's held-out split. */
    public static EvaluationResult evaluate(Path modelDir, int maxImages, PrintStream out) {
        ModelBundle bundle = ModelBundle.read(modelDir);
        SeqVisionConfig config = bundle.config();
        if (maxImages > 0) {
            config = withMaxImages(config, maxImages);
        }
        DetectionDataset val = CocoDetectionData.load(Path.of(config.data().val().annotations()),
                Path.of(config.data().val().images()), new ImagePreprocessor(config.model().imageSize()),
                bundle.categoryIds());
        EvaluationResult evaluation = evaluate(modelDir, val, config, EncoderRegistry.defaults());
        report(evaluation, out);
        return evaluation;
    }

    private static EvaluationResult evaluate(Path modelDir, DetectionDataset val, SeqVisionConfig config,
            EncoderRegistry encoders) {
        ModelBundle bundle = ModelBundle.read(modelDir);
        try (NDManager manager = NDManager.newBaseManager()) {
            EncoderDecoderModel model = bundle.instantiate(modelDir, encoders, manager);
            return DetectionEvaluator.evaluate(model, bundle.setup(), val, config, manager);
        }
    }

    private static void report(EvaluationResult evaluation, PrintStream out) {
        out.printf(Locale.ROOT, "held-out box AP %.3f  AP50 %.3f  AP75 %.3f  (%d images, %.1f images/s)%n",
                evaluation.ap().ap(), evaluation.ap().ap50(), evaluation.ap().ap75(),
                evaluation.predictions().size(), evaluation.imagesPerSecond());
        out.println(evaluation.ap().format());
    }

    /** Generates the shapes data when the config asks for it and the training annotations are missing. */
    public static void ensureData(SeqVisionConfig config, PrintStream out) {
        if (Files.exists(Path.of(config.data().train().annotations()))) {
            return;
        }
        ShapesDataConfig generate = config.data().generate();
        if (generate == null) {
            throw new IllegalArgumentException(
                    "training annotations not found: " + config.data().train().annotations());
        }
        ShapesOptions options = ShapesOptions.defaults()
                .withSeed(generate.seed())
                .withImages(generate.trainImages(), generate.valImages());
        out.println("generating the shapes data into " + config.data().root() + " ...");
        try {
            ShapesSummary summary = new ShapesGenerator(options).generate(Path.of(config.data().root()));
            out.println(summary);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot generate shapes data: " + e.getMessage(), e);
        }
    }

    private static SeqVisionConfig withMaxImages(SeqVisionConfig c, int maxImages) {
        return new SeqVisionConfig(c.name(), c.seed(), c.outputDir(), c.data(), c.model(), c.tokenizer(),
                c.training(), c.eval().withMaxImages(maxImages));
    }

    private static void deleteRun(RunDirectory run) {
        try {
            AtomicFiles.deleteRecursively(run.root());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear the previous run " + run.root() + ": " + e.getMessage(), e);
        }
    }
}
