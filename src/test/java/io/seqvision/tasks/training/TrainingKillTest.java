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
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16's fault suite for training. A child JVM ({@link KillableTraining}) trains a tiny 8-step
 * run (checkpoint every 2 steps, a log row every 3, so resumes land off the logging grid) and is
 * killed with SIGKILL again and again, each time started again with resume, until it finishes;
 * its final model must equal an uninterrupted run's bit for bit and its metrics.csv must have the
 * same training rows.
 *
 * <p>Most kills land at a seeded schedule of points inside the writes: the child prints each point
 * it reaches ({@link CheckpointStore.WriteProbe}) and waits at the next scheduled one, where it is
 * killed, so every stage of a checkpoint write (temporary folder empty, files written but no
 * manifest, manifest written but not renamed, renamed but {@code latest} not updated, older
 * checkpoints not yet pruned) and of the final model's write is hit, at random steps, along with
 * kills between steps. About half the attempts are also killed at a random moment after training
 * starts, should that come before their scheduled point; where those landed is read from the last
 * point the child printed.
 * Tagged {@code faults}: {@code mvn -B test -Pfaults} (README, "Fault suite").
 */
@Tag("faults")
class TrainingKillTest {

    static final long SEED = 16;
    static final int STEPS = 8;
    static final int CHECKPOINT_EVERY = 2;
    static final MultiTaskDataset DATA = TrainingFixtures.syntheticDataset(6, 2);
    /** The points inside a checkpoint write, in the order a write reaches them. */
    static final List<String> CHECKPOINT_POINTS = List.of(
            "checkpoint-begin", "checkpoint-unsealed", "checkpoint-sealed", "checkpoint-renamed", "checkpoint-pruning");
    /** A kill after the last point printed is inside a write. */
    static final List<String> INSIDE_WRITES = Stream.concat(CHECKPOINT_POINTS.stream(), Stream.of("model-unsealed")).toList();

    static SeqVisionConfig config(Path dir) {
        return TrainingFixtures.tinyConfig(dir, STEPS, 0.2,
                "training: {checkpoint_every: " + CHECKPOINT_EVERY + ", log_every: 3}");
    }

    /**
     * Where to kill, in the order training reaches them: every checkpoint point at least once (at
     * a random checkpoint step), more at random, a kill after some steps, and one inside the final
     * model's write. At most one point after the rename per step: once a checkpoint is in place a
     * resume starts after it and never reaches that step's later points.
     */
    static List<String> schedule(Random random) {
        List<Integer> checkpointSteps = new ArrayList<>();
        for (int s = CHECKPOINT_EVERY; s <= STEPS; s += CHECKPOINT_EVERY) {
            checkpointSteps.add(s);
        }
        List<List<String>> at = new ArrayList<>();
        for (int s = 0; s <= STEPS; s++) {
            at.add(new ArrayList<>());
        }
        // coverage: the two points after the rename on two different steps, the others anywhere
        List<Integer> shuffled = new ArrayList<>(checkpointSteps);
        Collections.shuffle(shuffled, random);
        at.get(shuffled.get(0)).add("checkpoint-renamed");
        at.get(shuffled.get(1)).add("checkpoint-pruning");
        for (String point : CHECKPOINT_POINTS.subList(0, 3)) {
            at.get(checkpointSteps.get(random.nextInt(checkpointSteps.size()))).add(point);
        }
        for (int s : checkpointSteps) {
            for (String point : CHECKPOINT_POINTS.subList(0, 3)) {
                if (random.nextInt(3) == 0 && !at.get(s).contains(point)) {
                    at.get(s).add(point);
                }
            }
        }
        List<String> targets = new ArrayList<>();
        for (int s = 1; s <= STEPS; s++) {
            if (random.nextInt(3) == 0) {
                targets.add(s + ":step");
            }
            for (String point : CHECKPOINT_POINTS) {
                if (at.get(s).contains(point)) {
                    targets.add(s + ":" + point);
                }
            }
        }
        targets.add(STEPS + ":model-unsealed");
        return targets;
    }

    @Test
    void killedAtScheduledAndRandomMomentsAndResumedEndsBitIdentical(@TempDir Path dir) throws Exception {
        RunDirectory straight = new RunDirectory(dir.resolve("straight/run"));
        new Trainer(config(dir.resolve("straight")), EncoderRegistry.defaults(), new PrintStream(new ByteArrayOutputStream()))
                .train(DATA, straight, false, Long.MAX_VALUE);

        Random random = new Random(SEED);
        List<String> remaining = new ArrayList<>(schedule(random));
        int scheduled = remaining.size();
        Path killed = dir.resolve("killed");
        Files.createDirectories(killed);
        List<String> log = new ArrayList<>();
        int kills = 0;
        int insideWrites = 0;
        int randomKills = 0;
        boolean finished = false;
        for (int attempt = 0; attempt < 3 * scheduled && !finished; attempt++) {
            Path output = killed.resolve("attempt-" + attempt + ".log");
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"),
                    KillableTraining.class.getName(), killed.toString(),
                    remaining.isEmpty() ? "-" : String.join(",", remaining))
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
            // about one attempt in two is also killed at a random moment after it starts stepping
            long delayMs = random.nextBoolean() ? random.nextInt(3000) : -1;
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            long steppingSince = -1;
            String paused = null;
            while (child.isAlive() && System.nanoTime() < deadline) {
                String text = Files.readString(output);
                paused = pausedAt(text);
                if (paused != null) {
                    break;
                }
                if (delayMs >= 0) {
                    if (steppingSince < 0 && lastPoint(text) != null) {
                        steppingSince = System.nanoTime();
                    }
                    if (steppingSince >= 0 && System.nanoTime() - steppingSince >= delayMs * 1_000_000) {
                        break;
                    }
                }
                Thread.sleep(10);
            }
            if (!child.isAlive()) {
                String text = Files.readString(output);
                assertEquals(0, child.exitValue(), "attempt " + attempt + " failed:\n" + text);
                assertTrue(text.contains("finished"), text);
                log.add("attempt " + attempt + ": finished");
                finished = true;
                break;
            }
            assertTrue(paused != null || steppingSince >= 0, "attempt " + attempt + " hung:\n" + Files.readString(output));
            child.destroyForcibly(); // SIGKILL on Linux
            assertTrue(child.waitFor(1, TimeUnit.MINUTES));
            kills++;
            String text = Files.readString(output);
            String last = lastPoint(text);
            boolean inside = last != null && INSIDE_WRITES.contains(last.substring(last.indexOf(' ') + 1));
            insideWrites += inside ? 1 : 0;
            if (paused != null) {
                String target = paused.replace(' ', ':');
                int index = remaining.indexOf(target);
                assertTrue(index >= 0, "paused at " + paused + ", not a target: " + remaining);
                remaining.subList(0, index + 1).clear();
                log.add("attempt " + attempt + ": killed paused at " + target);
            } else {
                randomKills++;
                log.add("attempt " + attempt + ": killed " + delayMs + " ms after stepping began, after '"
                        + last + "'" + (inside ? " (inside a write)" : ""));
            }
        }
        String summary = "training kills (seed " + SEED + "): " + kills + " kills, " + insideWrites
                + " inside checkpoint or model writes, " + randomKills + " at random moments; " + String.join("; ", log);
        System.out.println(summary);
        assertTrue(finished, summary);
        assertTrue(remaining.isEmpty(), "scheduled kills never reached: " + remaining + "; " + summary);
        assertTrue(kills >= scheduled, summary);

        RunDirectory resumed = new RunDirectory(killed.resolve("run"));
        List<float[]> a = TrainerTest.parameters(straight.model());
        List<float[]> b = TrainerTest.parameters(resumed.model());
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i), b.get(i), 0f, "parameter " + i + "; " + summary);
        }
        assertEquals(CheckpointStoreTest.trainRows(straight), CheckpointStoreTest.trainRows(resumed), summary);
        // no kill damaged a checkpoint (none was moved aside), and nothing a kill left behind remains
        for (Path folder : List.of(resumed.root(), resumed.checkpoints())) {
            try (Stream<Path> entries = Files.list(folder)) {
                List<String> leftovers = entries.map(p -> p.getFileName().toString())
                        .filter(name -> name.startsWith(".") || name.startsWith("rejected-")).toList();
                assertEquals(List.of(), leftovers, folder + "; " + summary);
            }
        }
    }

    /** {@code "STEP POINT"} of the child's pause, or null. */
    private static String pausedAt(String output) {
        int at = output.lastIndexOf("paused ");
        return at < 0 ? null : output.substring(at + 7, output.indexOf('\n', at) < 0 ? output.length() : output.indexOf('\n', at)).trim();
    }

    /** {@code "STEP POINT"} of the last point the child printed, or null. */
    private static String lastPoint(String output) {
        String last = null;
        for (String line : output.split("\n")) {
            if (line.startsWith("at ")) {
                last = line.substring(3).trim();
            }
        }
        return last;
    }
}
