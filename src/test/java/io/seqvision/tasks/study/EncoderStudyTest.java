package io.seqvision.tasks.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqvision.tasks.config.ConfigLoader;
import io.seqvision.tasks.config.SeqVisionConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The study end to end on two tiny encoders and one that cannot be built: report files and resume. */
class EncoderStudyTest {

    static SeqVisionConfig config(Path dir) {
        String root = dir.toString().replace("\\", "/");
        return ConfigLoader.parse("""
                name: tiny-study
                output_dir: %1$s/runs
                data:
                  root: %1$s/shapes
                  train: %2$s
                  val: %3$s
                  generate: {seed: 5, train_images: 8, val_images: 4}
                model:
                  encoder: convnext-test
                  image_size: 64
                  decoder: {width: 32, layers: 1, heads: 2, mlp_dim: 64, dropout: 0.0}
                tokenizer: {coord_bins: 64, max_objects: 6}
                tasks:
                  segmentation: {weight: 1.0, max_points: 8}
                  keypoints: {weight: 1.0}
                  captioning: {weight: 1.0, max_tokens: 12}
                training: {batch_size: 4, steps: 4, warmup_steps: 1, checkpoint_every: 2, log_every: 2}
                eval: {batch_size: 4, every: 2, interim_images: 4, ground_truth_prompts: true}
                """.formatted(root, split(root, "train"), split(root, "val")), "study-test");
    }

    private static String split(String root, String name) {
        String annotations = root + "/shapes/annotations/";
        return "{instances: " + annotations + "instances_" + name + ".json, keypoints: " + annotations
                + "person_keypoints_" + name + ".json, captions: " + annotations + "captions_" + name
                + ".json, images: " + root + "/shapes/images/" + name + "}";
    }

    @Test
    void runsEachEncoderReportsAFailureAndSkipsFinishedRunsWhenRunAgain(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("study");
        List<String> encoders = List.of("convnext-test", "no-such-encoder", "hornet-test");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        List<StudyRun> runs = new EncoderStudy(config(dir), encoders, out, new PrintStream(log)).run();

        assertEquals(List.of(StudyRun.FINISHED, StudyRun.FAILED, StudyRun.FINISHED),
                runs.stream().map(StudyRun::status).toList());
        assertTrue(runs.get(1).error().contains("no-such-encoder"), runs.get(1).error());
        for (StudyRun run : List.of(runs.get(0), runs.get(2))) {
            assertTrue(run.encoderParameters() > 0 && run.totalParameters() > run.encoderParameters(), run.toString());
            assertTrue(run.encoderMacs() > 0 && run.decoderMacs() > 0, run.toString());
            assertTrue(run.trainImagesPerSecond() > 0 && run.inferImagesPerSecond() > 0, run.toString());
            assertTrue(run.erf20() > 0 && run.erf20() <= run.erf50() && run.erf50() <= run.erf99()
                    && run.erf99() <= 64, run.toString());
            assertEquals(4, run.steps());
            for (String figure : List.of("detection.ap", "segmentation.ap", "keypoints.ap", "captioning.cider",
                    "segmentation.gt_box_ap50", "keypoints.gt_box_ap")) {
                assertTrue(run.figures().containsKey(figure), figure + " in " + run.figures());
            }
            assertTrue(Files.isRegularFile(out.resolve("runs").resolve(run.encoder()).resolve("erf.png")));
        }
        for (String file : List.of("report.md", "table.md", "table.csv", "study.json", "erf.png",
                "curves-detection.png", "curves-segmentation.png", "curves-keypoints.png", "curves-captioning.png")) {
            assertTrue(Files.isRegularFile(out.resolve(file)), file);
        }
        List<String> csv = Files.readAllLines(out.resolve("table.csv"));
        assertEquals(5, csv.size(), "header, three encoders, the baseline: " + csv);
        assertTrue(csv.get(0).startsWith("encoder,status,detection.ap,detection.ap50,"), csv.get(0));
        assertTrue(csv.get(2).startsWith("no-such-encoder,failed,") && csv.get(2).contains("unknown encoder"),
                csv.get(2));
        assertTrue(csv.get(4).startsWith("trivial baseline,computed,"), csv.get(4));
        String report = Files.readString(out.resolve("report.md"));
        assertTrue(report.contains("| convnext-test | finished |") && report.contains("*trivial baseline*")
                && report.contains("Parameter matching") && report.contains("curves-captioning.png"), report);
        StudyReport.Contents contents = StudyReport.read(out.resolve("study.json"));
        assertEquals(3, contents.runs().size());
        assertTrue(contents.baseline().containsKey("keypoints.gt_box_ap50"), contents.baseline().toString());
        assertTrue(contents.columns().contains("keypoints.gt_box_ap50"), contents.columns().toString());

        // again: the finished runs are read back, the failed one is tried again (and fails again)
        Files.delete(out.resolve("table.csv"));
        log.reset();
        List<StudyRun> again = new EncoderStudy(config(dir), encoders, out, new PrintStream(log)).run();
        String printed = log.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("convnext-test: finished earlier, not run again")
                && printed.contains("hornet-test: finished earlier, not run again")
                && printed.contains("no-such-encoder: failed earlier"), printed);
        assertFalse(printed.contains("trained steps"), "nothing trained again: " + printed);
        assertEquals(runs.get(0), again.get(0));
        assertTrue(Files.isRegularFile(out.resolve("table.csv")), "the report is written again");
    }

    @Test
    void anInterruptedRunResumesFromItsCheckpoint(@TempDir Path dir) {
        Path out = dir.resolve("study");
        SeqVisionConfig config = config(dir);
        EncoderStudy study = new EncoderStudy(config, List.of("convnext-test"), out,
                new PrintStream(new ByteArrayOutputStream()));
        // an interrupted run: two of its four steps done and checkpointed, no result yet
        io.seqvision.tasks.jobs.TrainingJob.trainAndEvaluate(study.configFor("convnext-test"),
                io.seqvision.tasks.jobs.TrainingJob.StartMode.NEW, 2, new PrintStream(new ByteArrayOutputStream()));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        StudyRun run = new EncoderStudy(config, List.of("convnext-test"), out, new PrintStream(log)).run().get(0);
        assertEquals(StudyRun.FINISHED, run.status());
        String printed = log.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("resuming") && printed.contains("from step 2"), printed);
    }

    @Test
    void encoderListsAreChecked(@TempDir Path dir) {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        SeqVisionConfig config = config(dir);
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new EncoderStudy(config, List.of(), dir, quiet)).getMessage().contains("--encoders"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new EncoderStudy(config, List.of("a", "a"), dir, quiet)).getMessage().contains("twice"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new EncoderStudy(config, List.of("../x"), dir, quiet)).getMessage().contains("'../x'"));
    }
}
