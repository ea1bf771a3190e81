package io.seqvision.tasks.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqvision.encoder.EncoderRegistry;
import io.seqvision.tasks.config.SeqVisionConfig;
import io.seqvision.tasks.data.MultiTaskDataset;
import io.seqvision.tasks.storage.AtomicFiles;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16, items 2, 3 and 8 (the logging window) and the stale temporaries: damaged, missing and
 * half-written checkpoints. A 6-step run checkpoints every 2 steps and logs every 4, so the
 * checkpoint at step 2 lies off the logging grid.
 */
@org.junit.jupiter.api.Tag("fault-suite")
class CheckpointStoreTest {

    private static final String GRID = "training: {checkpoint_every: 2, log_every: 4}";
    private static final MultiTaskDataset DATA = TrainingFixtures.syntheticDataset(6, 2);
    private static List<float[]> straightParameters;
    private static List<String> straightRows;

    @TempDir
    static Path shared;

    @BeforeAll
    static void trainStraightThrough() throws Exception {
        RunDirectory straight = new RunDirectory(shared.resolve("straight/run"));
        new Trainer(config(shared.resolve("straight")), EncoderRegistry.defaults(), quiet())
                .train(DATA, straight, false, Long.MAX_VALUE);
        straightParameters = TrainerTest.parameters(straight.model());
        straightRows = trainRows(straight);
    }

    private static SeqVisionConfig config(Path dir) {
        return TrainingFixtures.tinyConfig(dir, 6, 0.2, GRID);
    }

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream());
    }

    static List<String> trainRows(RunDirectory run) throws Exception {
        return Files.readAllLines(run.metrics()).stream()
                .filter(line -> line.contains(",train,loss"))
                .toList();
    }

    /** A run stopped after {@code steps}: checkpoints at 2, 4, ... up to it. */
    private static RunDirectory partial(Path dir, long steps) {
        RunDirectory run = new RunDirectory(dir.resolve("run"));
        new Trainer(config(dir), EncoderRegistry.defaults(), quiet()).train(DATA, run, false, steps);
        return run;
    }

    /** Resumes to the end; returns what the trainer said. */
    private static String resume(Path dir, RunDirectory run) {
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        new Trainer(config(dir), EncoderRegistry.defaults(), new PrintStream(said, true, StandardCharsets.UTF_8))
                .train(DATA, run, true, Long.MAX_VALUE);
        return said.toString(StandardCharsets.UTF_8);
    }

    private static void assertSameAsStraight(RunDirectory run) throws Exception {
        List<float[]> resumed = TrainerTest.parameters(run.model());
        for (int i = 0; i < resumed.size(); i++) {
            assertArrayEquals(straightParameters.get(i), resumed.get(i), 0f, "parameter " + i);
        }
        assertEquals(straightRows, trainRows(run), "metrics.csv's training rows");
    }

    private static void truncate(Path file) throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    }

    @Test
    void resumingOffTheLoggingGridLogsTheSameRowsAsAStraightRun(@TempDir Path dir) throws Exception {
        RunDirectory run = partial(dir, 2);
        resume(dir, run);
        assertSameAsStraight(run);
    }

    /**
     * Every file of the newest checkpoint truncated, deleted or with one byte flipped (the manifest
     * also cut at a line's end and with a digit of a size changed): the checkpoint is skipped naming
     * the file, and the resume point is the older one. Deleting the manifest alone leaves a
     * checkpoint that reads as one from before manifests (its files are all there).
     */
    @Test
    void everyFileOfTheNewestCheckpointDamagedIsSkippedByName(@TempDir Path dir) throws Exception {
        RunDirectory original = partial(dir.resolve("original"), 4);
        List<Path> files;
        try (var entries = Files.list(original.checkpoint(4))) {
            files = entries.sorted().toList();
        }
        assertTrue(files.size() >= 5, files.toString());
        int cases = 0;
        for (Path file : files) {
            String name = file.getFileName().toString();
            for (String damage : List.of("truncated", "deleted", "flipped", "cut-at-line", "size-digit")) {
                boolean manifest = name.equals(CheckpointStore.MANIFEST_FILE);
                if (!manifest && (damage.equals("cut-at-line") || damage.equals("size-digit"))) {
                    continue;
                }
                Path copy = dir.resolve("case-" + cases++);
                copyTree(original.root(), copy);
                RunDirectory run = new RunDirectory(copy);
                Path target = run.checkpoint(4).resolve(name);
                byte[] bytes = Files.readAllBytes(target);
                switch (damage) {
                    case "truncated" -> Files.write(target, java.util.Arrays.copyOf(bytes, bytes.length / 2));
                    case "deleted" -> Files.delete(target);
                    case "flipped" -> {
                        bytes[bytes.length / 2] ^= 0x10;
                        Files.write(target, bytes);
                    }
                    case "cut-at-line" -> {
                        List<String> lines = Files.readAllLines(target);
                        Files.write(target, lines.subList(0, lines.size() - 1));
                    }
                    default -> {
                        List<String> lines = new java.util.ArrayList<>(Files.readAllLines(target));
                        char digit = lines.get(1).charAt(0);
                        lines.set(1, (digit == '9' ? '1' : (char) (digit + 1)) + lines.get(1).substring(1));
                        Files.write(target, lines);
                    }
                }
                ByteArrayOutputStream said = new ByteArrayOutputStream();
                Path point = new CheckpointStore(run, new PrintStream(said, true, StandardCharsets.UTF_8))
                        .resumePoint().orElseThrow();
                String text = name + " " + damage + ": " + said.toString(StandardCharsets.UTF_8);
                if (manifest && damage.equals("deleted")) {
                    assertEquals(run.checkpoint(4), point, text);
                    continue;
                }
                assertEquals(run.checkpoint(2), point, text);
                assertTrue(said.toString(StandardCharsets.UTF_8).contains("skipping checkpoint step-00000004: "
                        + (manifest ? "" : name)), text);
            }
        }
        System.out.println("checkpoint corruption cases: " + cases + " (" + files.size() + " files)");
    }

    private static void copyTree(Path from, Path to) throws Exception {
        try (var paths = Files.walk(from)) {
            for (Path p : paths.toList()) {
                Files.copy(p, to.resolve(from.relativize(p).toString()));
            }
        }
    }

    @Test
    void aMissingNewestCheckpointAndADanglingLatestResumeFromTheOlderOne(@TempDir Path dir) throws Exception {
        RunDirectory run = partial(dir, 4);
        AtomicFiles.deleteRecursively(run.checkpoint(4));
        String history = Files.readString(run.metrics());
        String said = resume(dir, run);
        assertTrue(said.contains("resuming from checkpoint step-00000002"), said);
        assertTrue(Files.isDirectory(run.checkpoint(6)), "the new checkpoint is kept");
        assertEquals("step-00000006", Files.readString(run.checkpoints().resolve("latest")).trim());
        assertTrue(Files.readString(run.metrics()).startsWith(history.substring(0, history.indexOf('\n'))));
        assertSameAsStraight(run);
    }

    @Test
    void aTruncatedOptimizerFileIsSkippedByNameAndTheOlderCheckpointUsed(@TempDir Path dir) throws Exception {
        RunDirectory run = partial(dir, 4);
        truncate(run.checkpoint(4).resolve(CheckpointStore.OPTIMIZER_FILE));
        String said = resume(dir, run);
        assertTrue(said.contains("skipping checkpoint step-00000004: optimizer.bin has"), said);
        assertTrue(said.contains("resuming from checkpoint step-00000002"), said);
        assertTrue(Files.isDirectory(run.checkpoints().resolve("rejected-step-00000004")), "kept aside, not deleted");
        assertSameAsStraight(run);
    }

    @Test
    void aTruncatedModelFileIsSkippedByName(@TempDir Path dir) throws Exception {
        RunDirectory run = partial(dir, 4);
        truncate(run.checkpoint(4).resolve("model.params"));
        String said = resume(dir, run);
        assertTrue(said.contains("skipping checkpoint step-00000004: model.params has"), said);
        assertSameAsStraight(run);
    }

    @Test
    void aFlippedByteIsCaughtByTheChecksum(@TempDir Path dir) throws Exception {
        RunDirectory run = partial(dir, 4);
        Path optimizer = run.checkpoint(4).resolve(CheckpointStore.OPTIMIZER_FILE);
        byte[] bytes = Files.readAllBytes(optimizer);
        bytes[bytes.length - 3] ^= 0x10;
        Files.write(optimizer, bytes);
        String said = resume(dir, run);
        assertTrue(said.contains("optimizer.bin does not match its checksum"), said);
        assertSameAsStraight(run);
    }

    @Test
    void withNoIntactCheckpointResumeRefusesAndKeepsTheHistory(@TempDir Path dir) throws Exception {
        RunDirectory run = partial(dir, 4);
        truncate(run.checkpoint(4).resolve("model.params"));
        Files.delete(run.checkpoint(2).resolve(CheckpointStore.OPTIMIZER_FILE));
        String history = Files.readString(run.metrics());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> resume(dir, run));
        assertTrue(e.getMessage().contains("no intact checkpoint"), e.getMessage());
        assertTrue(e.getMessage().contains("step-00000002: optimizer.bin is missing"), e.getMessage());
        assertTrue(e.getMessage().contains("--overwrite"), e.getMessage());
        assertEquals(history, Files.readString(run.metrics()), "metrics.csv untouched");
        assertTrue(Files.isDirectory(run.checkpoint(4)), "nothing deleted");
    }

    @Test
    void aCheckpointWithoutManifestAndATruncatedOptimizerFileNamesFileAndCheckpoint(@TempDir Path dir)
            throws Exception {
        RunDirectory run = partial(dir, 2);
        Files.delete(run.checkpoint(2).resolve(CheckpointStore.MANIFEST_FILE));
        truncate(run.checkpoint(2).resolve(CheckpointStore.OPTIMIZER_FILE));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> resume(dir, run));
        assertTrue(e.getMessage().contains("checkpoint " + run.checkpoint(2) + ": optimizer.bin is truncated"),
                e.getMessage());
    }

    @Test
    void staleTemporariesAreRemovedAndAnInterruptedReplacementIsPutBack(@TempDir Path dir) throws Exception {
        RunDirectory run = partial(dir, 2);
        Path staleCheckpoint = Files.createDirectories(run.checkpoints().resolve(".step-00000004.1.123.tmp"));
        Files.writeString(staleCheckpoint.resolve("model.params"), "half");
        Path staleModel = Files.createDirectories(run.root().resolve(".model.1.456.tmp"));
        Path movedAside = run.checkpoints().resolve(".step-00000002.1.789.tmp-old");
        Files.move(run.checkpoint(2), movedAside);
        String said = resume(dir, run);
        assertFalse(Files.exists(staleCheckpoint), said);
        assertFalse(Files.exists(staleModel), said);
        assertFalse(Files.exists(movedAside), said);
        assertTrue(said.contains("restored " + run.checkpoint(2)), said);
        assertTrue(said.contains("resuming from checkpoint step-00000002"), said);
        assertSameAsStraight(run);
    }
}
