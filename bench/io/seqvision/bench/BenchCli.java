package io.seqvision.bench;

import io.seqvision.bench.data.DataBench;
import io.seqvision.bench.decode.DecodeBench;
import io.seqvision.bench.encoder.DepthwiseConvBench;
import io.seqvision.bench.serve.LoadBench;
import io.seqvision.bench.spark.PredictLoop;
import io.seqvision.bench.train.TrainBench;
import io.seqvision.tasks.cli.SeqVisionCli;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The developer's speed benchmarks, one subcommand each: {@code bin/seqvision bench-*} runs them
 * (and {@code bench}, the former name of {@code bench-train}). They live in their own source root,
 * {@code bench/}, and depend on the product (tokenizers, encoder, decoder, tasks, web); nothing in
 * the product depends on them. Errors print one line, as in {@link SeqVisionCli}.
 */
@Command(
        name = "seqvision",
        mixinStandardHelpOptions = true,
        version = "seqvision 0.1.0 benchmarks",
        description = "Speed benchmarks of seqvision (developer tools; see docs/NOTES.md for measured figures).",
        subcommands = {TrainBench.class, DecodeBench.class, DataBench.class, LoadBench.class,
                DepthwiseConvBench.class, PredictLoop.class})
public final class BenchCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** The benchmarks' command line, with seqvision's error handling (one clear line, exit status 2). */
    public static CommandLine commandLine() {
        return SeqVisionCli.withErrorHandling(new CommandLine(new BenchCli()));
    }

    public static void main(String[] args) {
        System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
        System.exit(commandLine().execute(args));
    }
}
