package io.seqvision.tasks.training;

import io.seqvision.encoder.EncoderRegistry;
import java.nio.file.Path;

/**
 * The child process of {@link TrainingKillTest}: trains (resuming whatever is there) the tiny
 * 8-step run into the directory given, printing each line of the trainer.
 */
public final class KillableTraining {

    private KillableTraining() {}

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        new Trainer(TrainingKillTest.config(dir), EncoderRegistry.defaults(), System.out)
                .train(TrainingKillTest.DATA, new RunDirectory(dir.resolve("run")), true, Long.MAX_VALUE);
        System.out.println("finished");
    }
}
