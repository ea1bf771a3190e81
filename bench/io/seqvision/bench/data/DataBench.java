package io.seqvision.bench.data;

import io.seqvision.tasks.data.AnnotatedObject;
import io.seqvision.tasks.data.AugmentationOptions;
import io.seqvision.tasks.data.ImageInput;
import io.seqvision.tasks.data.MultiTaskAugmentation;
import io.seqvision.tasks.data.MultiTaskData;
import io.seqvision.tasks.data.MultiTaskDataset;
import io.seqvision.tasks.data.SplitFiles;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code seqvision bench-data}: how long {@link MultiTaskData#load} takes on one split of a data set
 * in the shapes generator's layout (images decoded and resized in parallel, three annotation
 * files), and how many images per second {@link MultiTaskAugmentation} prepares on one thread.
 */
@Command(name = "bench-data", mixinStandardHelpOptions = true,
        description = "Multi-task loading time of a split, and augmentation images/second on one thread.")
public final class DataBench implements Callable<Integer> {

    @Option(names = "--data", description = "data set root with images/<split> and annotations/ (default: ${DEFAULT-VALUE})")
    Path data = Path.of("data/shapes");

    @Option(names = "--split", description = "split name (default: ${DEFAULT-VALUE})")
    String split = "train";

    @Option(names = "--side", description = "model image side (default: ${DEFAULT-VALUE})")
    int side = 128;

    @Option(names = "--augment", description = "augmented images to time (default: ${DEFAULT-VALUE})")
    int augment = 2000;

    private final PrintStream out;

    public DataBench() {
        this(System.out);
    }

    DataBench(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() {
        if (side < 8 || augment < 1) {
            throw new IllegalArgumentException("--side must be at least 8 and --augment at least 1, got side "
                    + side + ", augment " + augment);
        }
        ImageInput preprocessor = ImageInput.imageNet(side);
        long start = System.nanoTime();
        MultiTaskDataset dataset = MultiTaskData.load(SplitFiles.shapesLayout(data, split), preprocessor);
        double loadSeconds = (System.nanoTime() - start) / 1e9;
        if (dataset.size() == 0) {
            throw new IllegalArgumentException("split " + split + " of " + data + " has no images");
        }
        long objects = 0;
        long masks = 0;
        long persons = 0;
        long captions = 0;
        for (var example : dataset.examples()) {
            objects += example.objects().size();
            masks += example.objects().stream().filter(AnnotatedObject::hasMask).count();
            persons += example.objects().stream().filter(AnnotatedObject::hasKeypoints).count();
            captions += example.captions().size();
        }
        out.printf(Locale.ROOT, "split %s of %s at side %d, %d cores%n", split, data, side,
                Runtime.getRuntime().availableProcessors());
        out.printf(Locale.ROOT, "images %d, objects %d, with masks %d, with keypoints %d, captions %d%n",
                dataset.size(), objects, masks, persons, captions);
        out.printf(Locale.ROOT, "load: %.2f s, %.0f images/s%n", loadSeconds, dataset.size() / loadSeconds);

        MultiTaskAugmentation augmentation = new MultiTaskAugmentation(preprocessor, AugmentationOptions.largeScaleJitter());
        float[] batch = new float[3 * side * side];
        Random random = new Random(1);
        long kept = 0;
        int warmUp = Math.min(200, augment);
        for (int i = 0; i < warmUp; i++) {
            augmentation.apply(dataset.get(i % dataset.size()), random, batch, 0);
        }
        start = System.nanoTime();
        for (int i = 0; i < augment; i++) {
            kept += augmentation.apply(dataset.get(i % dataset.size()), random, batch, 0).objects().size();
        }
        double augmentSeconds = (System.nanoTime() - start) / 1e9;
        out.printf(Locale.ROOT, "augment (scale 0.3-2, flip), one thread: %.0f images/s, %.2f objects kept per image%n",
                augment / augmentSeconds, kept / (double) augment);
        return 0;
    }
}
