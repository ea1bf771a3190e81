package io.seqvision.tasks.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code seqvision} command: one subcommand per job. */
@Command(
        name = "seqvision",
        mixinStandardHelpOptions = true,
        version = "seqvision 0.1.0",
        description = "Pix2Seq-style sequence vision with large-kernel ConvNet encoders.",
        subcommands = {GenerateShapesCommand.class, TrainCommand.class, EvalCommand.class, PredictCommand.class,
                ShipCommand.class, StudyCommand.class,
                ErfCommand.class, BuildCaptionTokenizerCommand.class},
        footer = {"", "bin/seqvision also runs: serve (the browser demo and REST API),",
            "spark-predict (batch inference on Spark) and, for developers, the speed",
            "benchmarks bench-train, bench-decode, bench-data, bench-serve, bench-dwconv",
            "and bench-predict-loop. Each takes --help."})
public final class SeqVisionCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** The command line with seqvision's error handling: bad input prints one clear line, not a stack trace. */
    public static CommandLine commandLine() {
        return withErrorHandling(new CommandLine(new SeqVisionCli()));
    }

    /**
     * {@code cli} with seqvision's error handling, for other entry points built on these commands' conventions:
     * an exception from a command prints {@code error: } and its message (the stack trace too with
     * {@code -Dseqvision.stacktrace=true}) and exits with status 2.
     */
    public static CommandLine withErrorHandling(CommandLine cli) {
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("error: " + describe(e));
            if (Boolean.getBoolean("seqvision.stacktrace")) {
                e.printStackTrace(commandLine.getErr());
            }
            return 2;
        });
        return cli;
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.toString() : message;
    }

    public static void main(String[] args) {
        System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
        System.exit(commandLine().execute(args));
    }
}
