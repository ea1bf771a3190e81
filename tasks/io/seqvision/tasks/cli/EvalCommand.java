package io.seqvision.tasks.cli;

import io.seqvision.tasks.jobs.ShipJob;
import io.seqvision.tasks.jobs.TrainingJob;
import io.seqvision.tasks.model.ShippedModel;
import io.seqvision.tasks.storage.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code seqvision eval}: the held-out figures of a saved model, every task it was trained for. */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = "Evaluate a trained model directory (runs/<name>/model) on its held-out split.")
public final class EvalCommand implements Callable<Integer> {

    @Option(names = "--model", description = "model directory written by train (default: the shipped model, on its"
            + " held-out split generated afresh: the figures of its figures.md)")
    Path model;

    @Option(names = "--max-images", description = "evaluate on at most this many images (0 = all)")
    int maxImages;

    @Option(names = "--overlay", paramLabel = "FILE", description = "YAML laid over the model's config for this"
            + " evaluation only: another split (data.val.*), decoding (tasks.<task>.sampling.*), pose test views"
            + " (tasks.keypoints.test_windows, flip_test), eval.*; other keys are refused")
    Path overlay;

    @Override
    public Integer call() throws IOException {
        if (model == null && overlay == null && maxImages == 0) {
            Path scratch = Files.createTempDirectory("seqvision-eval");
            try {
                ShipJob.evaluateHeldOut(ShippedModel.directory(), scratch, System.out);
            } finally {
                AtomicFiles.deleteRecursively(scratch);
            }
            return 0;
        }
        TrainingJob.evaluate(model != null ? model : ShippedModel.directory(), maxImages, overlay, System.out);
        return 0;
    }
}
