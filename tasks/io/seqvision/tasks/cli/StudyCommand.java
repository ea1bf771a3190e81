package io.seqvision.tasks.cli;

import io.seqvision.tasks.config.ConfigLoader;
import io.seqvision.tasks.config.SeqVisionConfig;
import io.seqvision.tasks.study.EncoderStudy;
import io.seqvision.tasks.study.StudyRun;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code seqvision study}: one config trained once per encoder, evaluated, and compared in a report folder. */
@Command(name = "study", mixinStandardHelpOptions = true,
        description = "Train the config once per encoder (same data, seed, schedule and decoder), evaluate each on"
                + " the held-out split and write a comparison (table, learning curves, ERFs) into --out. Run it again"
                + " to resume: finished runs are kept, an interrupted one continues from its checkpoint.")
public final class StudyCommand implements Callable<Integer> {

    @Option(names = "--config", required = true, description = "YAML or JSON config file")
    Path config;

    @Option(names = "--encoders", required = true, split = ",",
            description = "encoder registry names, comma-separated (e.g. convnext-test,hornet-test)")
    List<String> encoders = new ArrayList<>();

    @Option(names = "--out", description = "report folder (default: runs/study-<config name>)")
    Path out;

    @Override
    public Integer call() {
        SeqVisionConfig loaded = ConfigLoader.load(config);
        Path folder = out != null ? out : Path.of(loaded.outputDir(), "study-" + loaded.name());
        List<StudyRun> runs = new EncoderStudy(loaded, encoders, folder, System.out).run();
        long failed = runs.stream().filter(r -> !r.finished()).count();
        if (failed > 0) {
            System.out.println(failed + " of " + runs.size() + " runs failed (see the table); run the command again"
                    + " to retry them");
            return 1;
        }
        return 0;
    }
}
