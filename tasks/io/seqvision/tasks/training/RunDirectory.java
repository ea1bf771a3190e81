package io.seqvision.tasks.training;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The files of one run: {@code checkpoints/step-NNNNNNNN/} (a model bundle plus optimizer state),
 * {@code checkpoints/latest} naming the newest (written by {@link CheckpointStore}), {@code model/} (the final bundle) and {@code
 * metrics.csv}.
 */
public record RunDirectory(Path root) {

    private static final int KEEP_CHECKPOINTS = 2;

    public Path checkpoints() {
        return root.resolve("checkpoints");
    }

    public Path model() {
        return root.resolve("model");
    }

    /** The model of the best evaluation during training ({@code eval.every}). */
    public Path bestModel() {
        return root.resolve("model-best");
    }

    public Path metrics() {
        return root.resolve("metrics.csv");
    }

    /** The PNG of {@link #metrics()} drawn as learning curves. */
    public Path learningCurves() {
        return root.resolve("learning-curves.png");
    }

    public Path checkpoint(long step) {
        return checkpoints().resolve(String.format("step-%08d", step));
    }

    /** The newest complete checkpoint, if any. */
    public Optional<Path> latestCheckpoint() {
        Path pointer = checkpoints().resolve("latest");
        if (!Files.isRegularFile(pointer)) {
            return Optional.empty();
        }
        try {
            Path dir = checkpoints().resolve(Files.readString(pointer).trim());
            return Files.isDirectory(dir) ? Optional.of(dir) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + pointer + ": " + e.getMessage(), e);
        }
    }
}
