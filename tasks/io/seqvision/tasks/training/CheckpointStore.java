package io.seqvision.tasks.training;

import ai.djl.ndarray.NDManager;
import io.seqvision.decoder.EncoderDecoderModel;
import io.seqvision.encoder.TrainingHook;
import io.seqvision.tasks.model.ModelBundle;
import io.seqvision.tasks.storage.AtomicFiles;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A run's checkpoints on disk: {@code checkpoints/step-NNNNNNNN/} holds a model bundle, the
 * optimizer, loss-scale, training-hook and metrics-window state, and last a {@code manifest.txt}
 * with every file's size and SHA-256; the directory is built aside and renamed into place. A
 * resume takes the newest checkpoint whose files match its manifest, says which it skipped and
 * why (moving them aside to {@code rejected-step-NNNNNNNN}, so they are neither pruned over nor
 * retried), and refuses, rather than start over a run's history, when none is intact. Hidden
 * temporary folders that a kill left behind are removed when training starts.
 */
final class CheckpointStore {

    static final String MANIFEST_FILE = "manifest.txt";
    static final String OPTIMIZER_FILE = "optimizer.bin";
    static final String HOOKS_FILE = "hooks.bin";
    static final String LOSS_SCALE_FILE = "loss-scale.bin";
    static final String WINDOW_FILE = "metrics-window.bin";
    private static final String MANIFEST_HEADER = "seqvision checkpoint manifest 1";
    private static final int KEEP_CHECKPOINTS = 2;

    /** A checkpoint that cannot be resumed from, and why. */
    static final class DamagedCheckpointException extends IOException {
        DamagedCheckpointException(String message) {
            super(message);
        }
    }

    /**
     * Where training and its writes have got to: after each optimizer step ({@code step}), inside a
     * checkpoint write ({@code checkpoint-begin}: the temporary folder is empty;
     * {@code checkpoint-unsealed}: its files are written, the manifest not; {@code checkpoint-sealed}:
     * the manifest is written, the folder not renamed into place; {@code checkpoint-renamed}:
     * {@code latest} not yet updated; {@code checkpoint-pruning}: older checkpoints not yet pruned;
     * {@code checkpoint-done}) and inside the final model's write ({@code model-unsealed}: its files
     * are in the temporary folder; {@code model-done}). A no-op, except in the fault suite's child
     * JVM (KillableTraining), which pauses at a chosen point to be killed there.
     */
    @FunctionalInterface
    interface WriteProbe {
        void reached(long step, String point);
    }

    static volatile WriteProbe probe = (step, point) -> {};

    /** Fills a checkpoint directory (before its manifest is written). */
    @FunctionalInterface
    interface Contents {
        void write(Path directory) throws IOException;
    }

    private final RunDirectory run;
    private final PrintStream out;

    CheckpointStore(RunDirectory run, PrintStream out) {
        this.run = run;
        this.out = out;
    }

    /**
     * Removes the hidden temporary folders and files a killed write left in the run and its
     * checkpoints; a directory caught between its two renames (the old copy moved aside, the new
     * one not yet in place) is put back first.
     */
    void removeStaleTemporaries() {
        for (Path dir : List.of(run.root(), run.checkpoints())) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            for (Path stale : list(dir, name -> name.startsWith(".") && (name.endsWith(".tmp") || name.endsWith(".tmp-old")))) {
                String name = stale.getFileName().toString();
                Path original = dir.resolve(name.substring(1, name.indexOf('.', 1)));
                try {
                    if (name.endsWith(".tmp-old") && !Files.exists(original)) {
                        Files.move(stale, original);
                        out.println("restored " + original + " from an interrupted replacement");
                    } else {
                        AtomicFiles.deleteRecursively(stale);
                        out.println("removed " + stale + " (left by an interrupted write)");
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot clean up " + stale + ": " + e.getMessage(), e);
                }
            }
        }
    }

    /**
     * The checkpoint to resume from: the newest intact one. Newer damaged ones are reported and
     * moved aside. Empty when the run has no history at all (a fresh start).
     *
     * @throws IllegalStateException when the run has history but no intact checkpoint
     */
    Optional<Path> resumePoint() {
        List<Path> candidates = checkpointsNewestFirst();
        Map<Path, String> skipped = new LinkedHashMap<>();
        Path chosen = null;
        for (Path candidate : candidates) {
            try {
                verify(candidate);
                chosen = candidate;
                break;
            } catch (IOException e) {
                skipped.put(candidate, e.getMessage());
            }
        }
        skipped.forEach((dir, why) -> out.println("skipping checkpoint " + dir.getFileName() + ": " + why));
        if (chosen == null) {
            if (!skipped.isEmpty() || hasHistory()) {
                throw new IllegalStateException("cannot resume " + run.root() + ": "
                        + (skipped.isEmpty() ? "it has training history (" + run.metrics().getFileName()
                                + ") but no checkpoint"
                                : "no intact checkpoint (" + String.join("; ", describe(skipped)) + ")")
                        + "; start it again with --overwrite (deletes the run) or choose another 'name'");
            }
            return Optional.empty();
        }
        for (Path damaged : skipped.keySet()) {
            Path aside = damaged.resolveSibling("rejected-" + damaged.getFileName());
            try {
                AtomicFiles.deleteRecursively(aside);
                Files.move(damaged, aside);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot move the damaged checkpoint " + damaged + " aside: "
                        + e.getMessage(), e);
            }
            out.println("moved " + damaged.getFileName() + " aside to " + aside.getFileName());
        }
        out.println("resuming from checkpoint " + chosen.getFileName()
                + (skipped.isEmpty() ? "" : " (the newest intact one)"));
        return Optional.of(chosen);
    }

    private static List<String> describe(Map<Path, String> skipped) {
        List<String> lines = new ArrayList<>();
        skipped.forEach((dir, why) -> lines.add(dir.getFileName() + ": " + why));
        return lines;
    }

    private boolean hasHistory() {
        try {
            return Files.isRegularFile(run.metrics()) && Files.readAllLines(run.metrics()).size() > 1;
        } catch (IOException e) {
            return true;
        }
    }

    /**
     * Checks a checkpoint's files against its manifest (sizes, then SHA-256); every file of the
     * checkpoint must be listed, so a manifest cut at a line's end is caught too. A checkpoint from
     * before manifests needs its model and optimizer files.
     *
     * @throws DamagedCheckpointException naming the file and what is wrong with it
     */
    static void verify(Path checkpoint) throws IOException {
        Path manifest = checkpoint.resolve(MANIFEST_FILE);
        if (!Files.isRegularFile(manifest)) {
            for (String required : List.of(ModelBundle.META_FILE, ModelBundle.PARAMS_FILE, OPTIMIZER_FILE)) {
                if (!Files.isRegularFile(checkpoint.resolve(required))) {
                    throw new DamagedCheckpointException("it has neither " + MANIFEST_FILE + " nor " + required);
                }
            }
            return;
        }
        List<String> lines = Files.readAllLines(manifest, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(0).equals(MANIFEST_HEADER)) {
            throw new DamagedCheckpointException(MANIFEST_FILE + " is damaged (no header)");
        }
        List<String> listed = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] fields = line.split(" ", 3);
            if (fields.length != 3 || !fields[0].matches("\\d{1,18}") || !fields[1].matches("[0-9a-f]{64}")
                    || fields[2].isEmpty() || fields[2].contains("/") || fields[2].startsWith(".")) {
                throw new DamagedCheckpointException(MANIFEST_FILE + " is damaged (line '" + line + "')");
            }
            long size = Long.parseLong(fields[0]);
            listed.add(fields[2]);
            Path file = checkpoint.resolve(fields[2]);
            if (!Files.isRegularFile(file)) {
                throw new DamagedCheckpointException(fields[2] + " is missing");
            }
            long actual = Files.size(file);
            if (actual != size) {
                throw new DamagedCheckpointException(fields[2] + " has " + actual + " bytes, " + size
                        + " were written (truncated or changed)");
            }
            if (!sha256(file).equals(fields[1])) {
                throw new DamagedCheckpointException(fields[2] + " does not match its checksum (corrupted)");
            }
        }
        for (Path file : list(checkpoint, name -> !name.equals(MANIFEST_FILE))) {
            if (!listed.contains(file.getFileName().toString())) {
                throw new DamagedCheckpointException(file.getFileName() + " is not in " + MANIFEST_FILE
                        + " (the manifest is truncated)");
            }
        }
    }

    /**
     * Writes checkpoint {@code step}: its contents, then the manifest, built aside and renamed into
     * place; then points {@code latest} at it and drops older checkpoints beyond the newest two.
     */
    Path save(long step, Contents contents) {
        Path dir = run.checkpoint(step);
        AtomicFiles.writeDirectory(dir, temp -> {
            probe.reached(step, "checkpoint-begin");
            contents.write(temp);
            probe.reached(step, "checkpoint-unsealed");
            StringBuilder manifest = new StringBuilder(MANIFEST_HEADER).append('\n');
            for (Path file : list(temp, name -> true)) {
                manifest.append(Files.size(file)).append(' ').append(sha256(file)).append(' ')
                        .append(file.getFileName()).append('\n');
            }
            Files.writeString(temp.resolve(MANIFEST_FILE), manifest);
            probe.reached(step, "checkpoint-sealed");
        });
        probe.reached(step, "checkpoint-renamed");
        AtomicFiles.writeString(run.checkpoints().resolve("latest"), dir.getFileName().toString());
        probe.reached(step, "checkpoint-pruning");
        List<Path> older = checkpointsNewestFirst().stream()
                .filter(p -> p.getFileName().toString().compareTo(dir.getFileName().toString()) < 0)
                .toList();
        try {
            for (int i = KEEP_CHECKPOINTS - 1; i < older.size(); i++) {
                AtomicFiles.deleteRecursively(older.get(i));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prune checkpoints in " + run.checkpoints() + ": " + e.getMessage(), e);
        }
        probe.reached(step, "checkpoint-done");
        return dir;
    }

    /** Loads the model's and the auxiliary heads' parameters. */
    static void loadModel(Path checkpoint, EncoderDecoderModel model, AuxiliaryHeads auxiliary, NDManager manager) {
        ModelBundle.loadParameters(checkpoint, model, manager);
        auxiliary.load(checkpoint, manager);
    }

    static void writeHooks(Path dir, List<TrainingHook> hooks) throws IOException {
        if (!hooks.isEmpty()) {
            writeStream(dir.resolve(HOOKS_FILE), stream -> {
                for (TrainingHook hook : hooks) {
                    hook.save(stream);
                }
            });
        }
    }

    static void loadHooks(Path checkpoint, List<TrainingHook> hooks) {
        if (!hooks.isEmpty()) {
            readStream(checkpoint, HOOKS_FILE, stream -> {
                for (TrainingHook hook : hooks) {
                    hook.load(stream);
                }
            });
        }
    }

    static void writeOptimizer(Path dir, DataParallel parallel) throws IOException {
        writeStream(dir.resolve(OPTIMIZER_FILE), parallel::saveOptimizer);
        if (parallel.scalesLoss()) {
            writeStream(dir.resolve(LOSS_SCALE_FILE), parallel::saveLossScale);
        }
    }

    static void loadOptimizer(Path checkpoint, DataParallel parallel) {
        readStream(checkpoint, OPTIMIZER_FILE, parallel::loadOptimizer);
        if (parallel.scalesLoss() && Files.isRegularFile(checkpoint.resolve(LOSS_SCALE_FILE))) {
            readStream(checkpoint, LOSS_SCALE_FILE, parallel::loadLossScale);
        }
    }

    static void writeWindow(Path dir, MetricsWriter metrics) throws IOException {
        writeStream(dir.resolve(WINDOW_FILE), metrics::saveWindow);
    }

    /** Restores the logging window; a checkpoint from before it was saved starts an empty one. */
    static void loadWindow(Path checkpoint, MetricsWriter metrics) {
        if (Files.isRegularFile(checkpoint.resolve(WINDOW_FILE))) {
            readStream(checkpoint, WINDOW_FILE, metrics::loadWindow);
        }
    }

    private interface StreamBody<S> {
        void accept(S stream) throws IOException;
    }

    private static void writeStream(Path file, StreamBody<DataOutputStream> body) throws IOException {
        try (DataOutputStream stream = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file)))) {
            body.accept(stream);
        }
    }

    /** Reads one file of a checkpoint; any failure names the file and the checkpoint. */
    private static void readStream(Path checkpoint, String name, StreamBody<DataInputStream> body) {
        Path file = checkpoint.resolve(name);
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            body.accept(new DataInputStream(in));
        } catch (IOException | RuntimeException e) {
            throw damaged(checkpoint, name, e);
        }
    }

    /** The error for a checkpoint file that cannot be read: which file, which checkpoint, what to do. */
    static IllegalStateException damaged(Path checkpoint, String name, Exception cause) {
        String detail = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return new IllegalStateException("cannot resume from checkpoint " + checkpoint + ": " + name
                + " is truncated or malformed (" + detail + "); move that checkpoint aside to resume from the"
                + " previous one, or start again with --overwrite", cause);
    }

    private List<Path> checkpointsNewestFirst() {
        if (!Files.isDirectory(run.checkpoints())) {
            return List.of();
        }
        List<Path> dirs = new ArrayList<>(list(run.checkpoints(),
                name -> name.matches("step-\\d+")));
        dirs.removeIf(p -> !Files.isDirectory(p));
        dirs.sort((a, b) -> b.getFileName().toString().compareTo(a.getFileName().toString()));
        return dirs;
    }

    private static List<Path> list(Path dir, java.util.function.Predicate<String> name) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.filter(p -> name.test(p.getFileName().toString())).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    static String sha256(Path file) throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            try (InputStream in = Files.newInputStream(file)) {
                byte[] buffer = new byte[1 << 16];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    digest.update(buffer, 0, n);
                }
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }
}
