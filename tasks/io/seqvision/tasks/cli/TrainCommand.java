package io.seqvision.tasks.cli;

import io.seqvision.tasks.config.ConfigLoader;
import io.seqvision.tasks.config.SeqVisionConfig;
import io.seqvision.tasks.jobs.ShipJob;
import io.seqvision.tasks.jobs.TrainingJob;
import io.seqvision.tasks.model.ShippedModel;
import io.seqvision.tasks.jobs.TrainingJob.StartMode;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code seqvision train}: trains from a config, then evaluates the saved model on the held-out split. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train one model on the config's tasks (generating the shapes data when it is missing), then print its held-out figures.")
public final class TrainCommand implements Callable<Integer> {

    @Option(names = "--config", required = true, description = "YAML or JSON config file")
    Path config;

    @Option(names = "--resume", description = "continue the run from its latest checkpoint")
    boolean resume;

    @Option(names = "--overwrite", description = "delete an existing run of the same name first")
    boolean overwrite;

    @Option(names = "--ship", description = "then install the trained model with its held-out figures as the default"
            + " model (models/" + ShippedModel.NAME + "/, as the ship command does)")
    boolean ship;

    @Option(names = "--stop-after", description = "stop after this step (the schedule stays that of the config)")
    long stopAfter = Long.MAX_VALUE;

    @Override
    public Integer call() {
        if (resume && overwrite) {
            throw new IllegalArgumentException("--resume and --overwrite exclude each other");
        }
        SeqVisionConfig loaded = ConfigLoader.load(config);
        StartMode mode = resume ? StartMode.RESUME : overwrite ? StartMode.OVERWRITE : StartMode.NEW;
        TrainingJob.Report report = TrainingJob.trainAndEvaluate(loaded, mode, stopAfter, System.out);
        System.out.println("run directory: " + report.run().root());
        if (ship) {
            if (report.training().modelDir() == null) {
                throw new IllegalArgumentException("--ship needs a finished run; this one stopped at step "
                        + report.training().endStep() + " without a final model");
            }
            ShipJob.ship(report.training().modelDir(), ShippedModel.checkoutDirectory(), System.out);
        }
        return 0;
    }
}
