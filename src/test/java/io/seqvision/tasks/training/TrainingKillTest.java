package io.seqvision.tasks.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqvision.encoder.EncoderRegistry;
import io.seqvision.tasks.config.SeqVisionConfig;
import io.seqvision.tasks.data.MultiTaskDataset;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16's fault suite for training: a child JVM trains a tiny 8-step run (checkpoint every
 * step) and is killed with SIGKILL at seeded random moments, then started again with resume,
 * until it finishes; its model must equal an uninterrupted run's bit for bit.
 * Tagged {@code faults} and not yet run: excluded from the default build until it has passed once.
 */
@org.junit.jupiter.api.Tag("faults")
class TrainingKillTest {

    static final long KILL_SEED = 16;
    static final int KILLS = 4;
    static final MultiTaskDataset DATA = TrainingFixtures.syntheticDataset(6, 2);

    static SeqVisionConfig config(Path dir) {
        return TrainingFixtures.tinyConfig(dir, 8, 0.2, "training: {checkpoint_every: 1, log_every: 3}");
    }

    @Test
    void killedAtRandomMomentsAndResumedEndsBitIdentical(@TempDir Path dir) throws Exception {
        RunDirectory straight = new RunDirectory(dir.resolve("straight/run"));
        new Trainer(config(dir.resolve("straight")), EncoderRegistry.defaults(), new PrintStream(new ByteArrayOutputStream()))
                .train(DATA, straight, false, Long.MAX_VALUE);

        Random random = new Random(KILL_SEED);
        Path killed = dir.resolve("killed");
        Files.createDirectories(killed);
        List<String> log = new ArrayList<>();
        int kills = 0;
        for (int attempt = 0; attempt < KILLS + 3; attempt++) {
            Path output = killed.resolve("attempt-" + attempt + ".log");
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), KillableTraining.class.getName(), killed.toString())
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
            if (kills < KILLS) {
                // wait for the child to be training (a step or a checkpoint printed), then kill it a random moment later
                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
                while (child.isAlive() && !Files.readString(output).contains("step") && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                long delay = random.nextInt(3000);
                Thread.sleep(delay);
                if (child.isAlive()) {
                    child.destroyForcibly(); // SIGKILL on Linux
                    child.waitFor();
                    kills++;
                    log.add("attempt " + attempt + ": killed " + delay + " ms after training started");
                    continue;
                }
            }
            assertTrue(child.waitFor(5, TimeUnit.MINUTES), "attempt " + attempt + " did not finish");
            log.add("attempt " + attempt + ": exit " + child.exitValue());
            assertEquals(0, child.exitValue(), Files.readString(output));
            break;
        }
        System.out.println("training kills: seed " + KILL_SEED + ", " + kills + " kills; " + String.join("; ", log));
        assertTrue(kills >= 1, "no child was killed: " + log);
        RunDirectory resumed = new RunDirectory(killed.resolve("run"));
        assertTrue(Files.isDirectory(resumed.model()), log.toString());
        List<float[]> a = TrainerTest.parameters(straight.model());
        List<float[]> b = TrainerTest.parameters(resumed.model());
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i), b.get(i), 0f, "parameter " + i);
        }
        assertEquals(CheckpointStoreTest.trainRows(straight), CheckpointStoreTest.trainRows(resumed));
    }
}
