package io.seqvision.tasks.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqvision.tasks.config.ConfigException;
import io.seqvision.tasks.config.ConfigLoader;
import io.seqvision.tasks.config.SeqVisionConfig;
import io.seqvision.tasks.eval.EvaluationResult;
import io.seqvision.tasks.jobs.TrainingJob.StartMode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingJobTest {

    static SeqVisionConfig config(Path dir) {
        String root = dir.toString().replace("\\", "/");
        return ConfigLoader.parse("""
                name: job
                output_dir: %1$s/runs
                data:
                  root: %1$s/shapes
                  train: %2$s
                  val: %3$s
                  generate: {seed: 5, train_images: 8, val_images: 4}
                model:
                  encoder: convnext-tiny
                  image_size: 64
                  decoder: {width: 32, layers: 1, heads: 2, mlp_dim: 64, dropout: 0.0}
                tokenizer: {coord_bins: 64, max_objects: 6}
                tasks:
                  segmentation: {weight: 1.0, max_points: 8}
                  keypoints: {weight: 1.0}
                  captioning: {weight: 1.0, max_tokens: 12}
                training: {batch_size: 4, steps: 4, warmup_steps: 1, checkpoint_every: 2, log_every: 2}
                eval: {batch_size: 4}
                """.formatted(root, split(root, "train"), split(root, "val")), "job-test");
    }

    /** The four files of a generated shapes split, as a YAML flow mapping. */
    private static String split(String root, String name) {
        String annotations = root + "/shapes/annotations/";
        return "{instances: " + annotations + "instances_" + name + ".json, keypoints: " + annotations
                + "person_keypoints_" + name + ".json, captions: " + annotations + "captions_" + name
                + ".json, images: " + root + "/shapes/images/" + name + "}";
    }

    @Test
    void shapesDataIsGeneratedOnceAndAgainWhenTheConfigNoLongerMatchesIt(@TempDir Path dir) throws Exception {
        SeqVisionConfig config = config(dir);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        TrainingJob.ensureData(config, new PrintStream(log));
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("generating"));
        Path instances = dir.resolve("shapes/annotations/instances_train.json");
        long written = Files.getLastModifiedTime(instances).toMillis();

        log.reset();
        TrainingJob.ensureData(config, new PrintStream(log));
        assertEquals("", log.toString(StandardCharsets.UTF_8), "matching data is kept");
        assertEquals(written, Files.getLastModifiedTime(instances).toMillis());

        SeqVisionConfig reseeded = ConfigLoader.overlay("job-test", ConfigLoader.toYaml(config),
                "data: {generate: {seed: 6, train_images: 8, val_images: 4}}");
        TrainingJob.ensureData(reseeded, new PrintStream(log));
        String printed = log.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("stale") && printed.contains("seed 5") && printed.contains("6"), printed);

        // data from an older generator (its info.version) is made again too
        String text = Files.readString(instances).replaceFirst("\"version\":\"[^\"]*\"", "\"version\":\"1.0\"");
        Files.writeString(instances, text);
        log.reset();
        TrainingJob.ensureData(reseeded, new PrintStream(log));
        printed = log.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("generator version 1.0"), printed);
        log.reset();
        TrainingJob.ensureData(reseeded, new PrintStream(log));
        assertEquals("", log.toString(StandardCharsets.UTF_8));
    }

    @Test
    void dataOutsideTheGeneratorsFolderIsUsedAsItIsThoughTheDefaultsNameAGenerator(@TempDir Path dir)
            throws Exception {
        TrainingJob.ensureData(config(dir.resolve("elsewhere")), new PrintStream(new ByteArrayOutputStream()));
        Path own = dir.resolve("elsewhere/shapes/annotations/instances_train.json");
        assertTrue(Files.isRegularFile(own));
        // train files of another data set, with data.root (and data.generate) left at another folder
        SeqVisionConfig pointing = ConfigLoader.overlay("job-test", ConfigLoader.toYaml(config(dir)),
                "data: {train: {instances: '" + own.toString().replace("\\", "/") + "'}}");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        TrainingJob.ensureData(pointing, new PrintStream(log));
        assertEquals("", log.toString(StandardCharsets.UTF_8));
        assertTrue(!Files.exists(dir.resolve("shapes")), "nothing generated into data.root");
        SeqVisionConfig missing = ConfigLoader.overlay("job-test", ConfigLoader.toYaml(config(dir)),
                "data: {train: {instances: '" + dir.resolve("nowhere.json").toString().replace("\\", "/") + "'}}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainingJob.ensureData(missing, new PrintStream(log)));
        assertTrue(e.getMessage().contains("nowhere.json"), e.getMessage());
    }

    @Test
    void generatesTrainsSavesAndEvaluatesEndToEnd(@TempDir Path dir) {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        TrainingJob.Report report =
                TrainingJob.trainAndEvaluate(config(dir), StartMode.NEW, Long.MAX_VALUE, new PrintStream(log));
        assertEquals(4, report.training().endStep());
        EvaluationResult evaluation = report.evaluation();
        assertNotNull(evaluation);
        assertEquals(4, evaluation.predictions().size());
        assertTrue(evaluation.box().ap50() >= 0 && evaluation.box().ap50() <= 1);
        for (String figure : List.of("detection.ap50", "segmentation.ap50", "keypoints.ap50", "captioning.bleu4",
                "captioning.cider")) {
            double value = evaluation.figure(figure);
            assertTrue(value == -1 || (value >= 0 && value <= 10), figure + " = " + value);
        }
        assertTrue(evaluation.report().contains("keypoints (OKS AP)"), evaluation.report());
        assertTrue(Files.isRegularFile(report.run().learningCurves()));
        assertTrue(Files.isRegularFile(report.run().root().resolve("eval.txt")));
        assertTrue(report.run().latestCheckpoint().isPresent());
        String printed = log.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("held-out detection.ap50"), printed);

        EvaluationResult again = TrainingJob.evaluate(report.run().model(), 2, new PrintStream(log));
        assertEquals(2, again.predictions().size());
    }

    @Test
    void anEvaluationOverlayChangesTheSplitAndPoseViewsButNotTheModel(@TempDir Path dir) throws Exception {
        TrainingJob.Report report = TrainingJob.trainAndEvaluate(config(dir), StartMode.NEW, Long.MAX_VALUE,
                new PrintStream(new ByteArrayOutputStream()));
        String root = dir.toString().replace("\\", "/");
        Path overlay = Files.writeString(dir.resolve("other-split.yaml"), """
                data:
                  val: %s
                tasks:
                  keypoints: {test_windows: [1.3, 1.5], flip_test: true}
                """.formatted(split(root, "train")));
        EvaluationResult training = TrainingJob.evaluate(report.run().model(), 0, overlay,
                new PrintStream(new ByteArrayOutputStream()));
        assertEquals(8, training.predictions().size(), "the 8 training images instead of the 4 held-out ones");

        Path fixed = Files.writeString(dir.resolve("fixed.yaml"), "model: {encoder: convnext-t}\n");
        ConfigException e = assertThrows(ConfigException.class,
                () -> TrainingJob.evaluate(report.run().model(), 0, fixed, new PrintStream(new ByteArrayOutputStream())));
        assertTrue(e.getMessage().contains("model.encoder") && e.getMessage().contains("fixed.yaml")
                && e.getMessage().contains("tasks.keypoints.test_windows"), e.getMessage());
        Path bad = Files.writeString(dir.resolve("bad.yaml"), "tasks: {keypoints: {test_windows: [0.2]}}\n");
        ConfigException range = assertThrows(ConfigException.class,
                () -> TrainingJob.evaluate(report.run().model(), 0, bad, new PrintStream(new ByteArrayOutputStream())));
        assertTrue(range.getMessage().contains("tasks.keypoints.test_windows"), range.getMessage());
        assertThrows(ConfigException.class, () -> TrainingJob.evaluate(report.run().model(), 0,
                dir.resolve("missing.yaml"), new PrintStream(new ByteArrayOutputStream())));
    }

    @Test
    void anExistingRunIsNeverOverwrittenUnasked(@TempDir Path dir) throws Exception {
        SeqVisionConfig config = config(dir);
        Files.createDirectories(TrainingJob.runDirectory(config).root());
        String message = assertThrows(IllegalArgumentException.class,
                () -> TrainingJob.trainAndEvaluate(config, StartMode.NEW, 1, new PrintStream(new ByteArrayOutputStream())))
                .getMessage();
        assertTrue(message.contains("--resume") && message.contains("--overwrite"), message);
    }
}
