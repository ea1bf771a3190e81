package io.seqvision.tasks.training;

import io.seqvision.encoder.EncoderRegistry;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The child process of {@link TrainingKillTest}: trains (resuming whatever is there) the tiny run
 * into the directory given, printing each point training and its writes reach
 * ({@link CheckpointStore.WriteProbe}) as {@code at STEP POINT}. Given targets
 * ({@code STEP:POINT,...}), it stops at the first one it reaches, prints {@code paused STEP POINT}
 * and waits there to be killed, so that a kill lands exactly inside that write.
 */
public final class KillableTraining {

    private KillableTraining() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        List<String> targets = args.length > 1 && !args[1].equals("-") ? Arrays.asList(args[1].split(",")) : List.of();
        PrintStream out = System.out;
        CheckpointStore.probe = (step, point) -> {
            out.println("at " + step + " " + point);
            if (targets.contains(step + ":" + point)) {
                out.println("paused " + step + " " + point);
                out.flush();
                try {
                    Thread.sleep(Long.MAX_VALUE);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            out.flush();
        };
        new Trainer(TrainingKillTest.config(dir), EncoderRegistry.defaults(), out)
                .train(TrainingKillTest.DATA, new RunDirectory(dir.resolve("run")), true, Long.MAX_VALUE);
        out.println("finished");
        out.flush();
    }
}
