package io.seqvision.tasks.jobs;

import ai.djl.ndarray.NDManager;
import io.seqvision.decoder.EncoderDecoderModel;
import io.seqvision.encoder.EncoderRegistry;
import io.seqvision.tasks.config.SeqVisionConfig;
import io.seqvision.tasks.config.ShapesDataConfig;
import io.seqvision.tasks.config.SplitConfig;
import io.seqvision.tasks.curves.LearningCurves;
import io.seqvision.tasks.data.ImageInput;
import io.seqvision.tasks.data.MultiTaskData;
import io.seqvision.tasks.data.MultiTaskDataset;
import io.seqvision.tasks.data.SplitFiles;
import io.seqvision.tasks.data.shapes.ShapesGenerator;
import io.seqvision.tasks.data.shapes.ShapesOptions;
import io.seqvision.tasks.data.shapes.ShapesSummary;
import io.seqvision.tasks.eval.Evaluator;
import io.seqvision.tasks.eval.EvaluationResult;
import io.seqvision.tasks.model.ModelBundle;
import io.seqvision.tasks.model.TaskSuite;
import io.seqvision.tasks.storage.AtomicFiles;
import io.seqvision.tasks.training.Augmenter;
import io.seqvision.tasks.training.ScaleJitterAugmenter;
import io.seqvision.tasks.training.Trainer;
import io.seqvision.tasks.training.RunDirectory;
import io.seqvision.tasks.training.TrainingResult;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The training job end to end: data (generated when missing), training on the config's tasks
 * with evaluation every {@code eval.every} steps, evaluation of the saved model on the held-out
 * split.
 */
public final class TrainingJob {

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

    private TrainingJob() {}

    public static RunDirectory runDirectory(SeqVisionConfig config) {
        return new RunDirectory(Path.of(config.outputDir(), config.name()));
    }

    /**
     * Trains the config's tasks and evaluates the saved model on the held-out split.
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
        ImageInput preprocessor = ModelBundle.imageInput(config);
        long loading = System.nanoTime();
        MultiTaskDataset train = MultiTaskData.load(splitFiles(config.data().train()), preprocessor);
        MultiTaskDataset val = MultiTaskData.load(splitFiles(config.data().val()), preprocessor, train.categoryIds());
        out.printf(Locale.ROOT, "loaded %d training and %d held-out images, classes %s (%.1f s)%n",
                train.size(), val.size(), train.classNames(), (System.nanoTime() - loading) / 1e9);
        if (mode == StartMode.OVERWRITE && Files.exists(run.root())) {
            deleteRun(run);
        }
        EncoderRegistry encoders = EncoderRegistry.defaults();
        Trainer.PeriodicEvaluation periodic = (model, step) -> {
            try (NDManager manager = NDManager.newBaseManager(); TaskSuite suite = TaskSuite.of(config, train.classNames())) {
                return Evaluator.evaluate(model, suite, val, config.interim(), manager).figures();
            }
        };
        TrainingResult training = new Trainer(config, encoders, out, augmenter(config), periodic)
                .train(train, run, mode == StartMode.RESUME, stopAfter);
        out.printf(Locale.ROOT, "trained steps %d..%d in %.1f s, %.1f images/s, loss %.4f -> %.4f%n",
                training.startStep(), training.endStep(), training.seconds(), training.imagesPerSecond(),
                training.meanFirst(20), training.meanLast(20));
        LearningCurves.builder().optTitle(config.name()).build().render(run.metrics(), run.learningCurves());
        out.println("learning curves: " + run.learningCurves());
        if (training.modelDir() == null) {
            return new Report(training, null, run);
        }
        EvaluationResult evaluation = evaluate(training.modelDir(), val, config, encoders);
        report(evaluation, out);
        AtomicFiles.writeString(run.root().resolve("eval.txt"), evaluation.report());
        return new Report(training, evaluation, run);
    }

    /** Evaluates a saved model on its config's held-out split. */
    public static EvaluationResult evaluate(Path modelDir, int maxImages, PrintStream out) {
        return evaluate(modelDir, maxImages, null, out);
    }

    /**
     * As {@link #evaluate(Path, int, PrintStream)}, with an {@link EvalOverlay} file laid over the
     * model's config first (null for none).
     */
    public static EvaluationResult evaluate(Path modelDir, int maxImages, Path overlay, PrintStream out) {
        ModelBundle bundle = ModelBundle.read(modelDir);
        SeqVisionConfig config = overlay == null ? bundle.config() : EvalOverlay.apply(bundle.config(), overlay);
        if (maxImages > 0) {
            config = config.withMaxImages(maxImages);
        }
        MultiTaskDataset val = MultiTaskData.load(splitFiles(config.data().val()),
                ModelBundle.imageInput(config), bundle.categoryIds());
        EvaluationResult evaluation = evaluate(modelDir, val, config, EncoderRegistry.defaults());
        report(evaluation, out);
        return evaluation;
    }

    private static EvaluationResult evaluate(Path modelDir, MultiTaskDataset val, SeqVisionConfig config,
            EncoderRegistry encoders) {
        ModelBundle bundle = ModelBundle.read(modelDir);
        try (NDManager manager = NDManager.newBaseManager(); TaskSuite suite = bundle.suite()) {
            EncoderDecoderModel model = bundle.instantiate(modelDir, encoders, manager);
            return Evaluator.evaluate(model, suite, val, config, manager);
        }
    }

    private static void report(EvaluationResult evaluation, PrintStream out) {
        out.println(evaluation.report().strip());
        out.printf(Locale.ROOT, "held-out %s (%d images, %.1f images/s)%n", headline(evaluation),
                evaluation.predictions().size(), evaluation.imagesPerSecond());
    }

    /** The figures the README quotes: box, mask and keypoint AP50 and AP, BLEU-4 and CIDEr. */
    static String headline(EvaluationResult evaluation) {
        StringBuilder line = new StringBuilder();
        for (String name : List.of("detection.ap50", "detection.ap", "segmentation.ap50", "segmentation.ap",
                "keypoints.ap50", "keypoints.ap", "captioning.bleu4", "captioning.cider")) {
            Double value = evaluation.figures().get(name);
            if (value != null) {
                line.append(line.length() == 0 ? "" : "  ").append(String.format(Locale.ROOT, "%s %.3f", name, value));
            }
        }
        return line.toString();
    }

    /** The files of a split as a config names them. */
    public static SplitFiles splitFiles(SplitConfig split) {
        return new SplitFiles(Path.of(split.images()), Path.of(split.instances()),
                split.hasKeypoints() ? Path.of(split.keypoints()) : null,
                split.hasCaptions() ? Path.of(split.captions()) : null);
    }

    static Augmenter augmenter(SeqVisionConfig config) {
        return ScaleJitterAugmenter.of(config);
    }

    /** Generates the shapes data when the config asks for it and the training annotations are missing. */
    public static void ensureData(SeqVisionConfig config, PrintStream out) {
        ShapesDataConfig generate = config.data().generate();
        boolean present = Files.exists(Path.of(config.data().train().instances()));
        if (generate == null) {
            if (!present) {
                throw new IllegalArgumentException(
                        "training annotations not found: " + config.data().train().instances());
            }
            return;
        }
        ShapesOptions options = ShapesOptions.defaults()
                .withSeed(generate.seed())
                .withImages(generate.trainImages(), generate.valImages())
                .withLayout(generate.minSize(), generate.maxSize(), generate.minObjects(), generate.maxObjects(),
                        generate.objectScale());
        ShapesGenerator generator = new ShapesGenerator(options);
        Path root = Path.of(config.data().root());
        Path trainInstances = Path.of(config.data().train().instances());
        boolean generatedHere = trainInstances.toAbsolutePath().normalize().equals(
                root.resolve("annotations").resolve("instances_train.json").toAbsolutePath().normalize());
        if (!generatedHere) {
            // the config points at other data (the defaults still name a generator): use it as it is
            if (!present) {
                throw new IllegalArgumentException("training annotations not found: " + trainInstances);
            }
            return;
        }
        if (present) {
            String stale;
            try {
                stale = generator.staleness(root);
            } catch (IOException e) {
                stale = e.getMessage();
            }
            if (stale == null) {
                return;
            }
            out.println("the shapes data in " + root + " is stale (" + stale + "): generating it again");
        }
        out.println("generating the shapes data into " + config.data().root() + " ...");
        try {
            ShapesSummary summary = generator.generate(root);
            out.println(summary);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot generate shapes data: " + e.getMessage(), e);
        }
    }

    private static void deleteRun(RunDirectory run) {
        try {
            AtomicFiles.deleteRecursively(run.root());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clear the previous run " + run.root() + ": " + e.getMessage(), e);
        }
    }
}
