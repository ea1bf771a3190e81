package io.seqvision.tasks.cli;

import io.seqvision.tasks.data.shapes.ShapesGenerator;
import io.seqvision.tasks.data.shapes.ShapesOptions;
import io.seqvision.tasks.data.shapes.ShapesSummary;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code seqvision generate-shapes}: writes the synthetic shapes data set in COCO layout. */
@Command(name = "generate-shapes", mixinStandardHelpOptions = true,
        description = "Generate the synthetic shapes data set (images plus COCO instances, keypoints and captions).")
public final class GenerateShapesCommand implements Callable<Integer> {

    private static final ShapesOptions DEFAULTS = ShapesOptions.defaults();

    @Spec
    CommandSpec spec;

    @Option(names = "--out", required = true, description = "output directory (images/ and annotations/ below it)")
    Path out;

    @Option(names = "--seed", description = "random seed (default: ${DEFAULT-VALUE})")
    long seed = DEFAULTS.seed();

    @Option(names = "--train", description = "number of training images (default: ${DEFAULT-VALUE})")
    int train = DEFAULTS.trainImages();

    @Option(names = "--val", description = "number of validation images (default: ${DEFAULT-VALUE})")
    int val = DEFAULTS.valImages();

    @Option(names = "--min-size", description = "smallest image side in pixels (default: ${DEFAULT-VALUE})")
    int minSize = DEFAULTS.minSize();

    @Option(names = "--max-size", description = "largest image side in pixels (default: ${DEFAULT-VALUE})")
    int maxSize = DEFAULTS.maxSize();

    @Option(names = "--max-objects", description = "most objects per image (default: ${DEFAULT-VALUE})")
    int maxObjects = DEFAULTS.maxObjects();

    @Override
    public Integer call() throws IOException {
        ShapesOptions options = new ShapesOptions(seed, train, val, minSize, maxSize, DEFAULTS.minObjects(),
                maxObjects);
        ShapesSummary summary = new ShapesGenerator(options).generate(out);
        spec.commandLine().getOut().print(summary.describe());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
