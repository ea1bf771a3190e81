package io.seqvision.tasks.cli;

import io.seqvision.tasks.jobs.ShipJob;
import io.seqvision.tasks.model.ShippedModel;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code seqvision ship}: makes a trained model the one serve, predict, eval and the library use by default. */
@Command(name = "ship", mixinStandardHelpOptions = true,
        description = "Evaluate a trained model on its held-out split and install it, with its figures table,"
                + " as the default model (models/" + ShippedModel.NAME + "/), replacing the old one atomically.")
public final class ShipCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, description = "model directory written by train, e.g. runs/<name>/model")
    Path model;

    @Option(names = "--to", description = "folder to write (default: the checkout's models/" + ShippedModel.NAME + "/)")
    Path to;

    @Override
    public Integer call() {
        ShipJob.ship(model, to != null ? to : ShippedModel.checkoutDirectory(), System.out);
        return 0;
    }
}
