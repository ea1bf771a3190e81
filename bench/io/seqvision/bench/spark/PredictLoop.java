package io.seqvision.bench.spark;

import io.seqvision.tasks.api.SeqVisionModel;
import io.seqvision.tasks.data.ImageInput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code seqvision bench-predict-loop MODEL DIR}: the single-JVM baseline for spark-predict:
 * SeqVisionModel.analyze over every PNG image of a folder, one at a time, all the model's tasks (as
 * {@code seqvision predict} does per image, without its files).
 */
@Command(name = "bench-predict-loop", mixinStandardHelpOptions = true,
        description = "Images/second of SeqVisionModel.analyze over a folder's PNG images in one JVM (spark-predict's baseline).")
public final class PredictLoop implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "MODEL", description = "a model bundle directory")
    Path model;

    @Parameters(index = "1", paramLabel = "DIR", description = "a folder of .png images")
    Path images;

    @Override
    public Integer call() throws Exception {
        List<Path> files;
        try (Stream<Path> listed = Files.list(images)) {
            files = listed.filter(p -> p.toString().endsWith(".png")).sorted().toList();
        }
        try (SeqVisionModel loaded = SeqVisionModel.load(model)) {
            long start = System.nanoTime();
            int objects = 0;
            for (Path image : files) {
                objects += loaded.analyze(ImageInput.read(image), loaded.tasks(), null).objects().size();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("%d images, %d objects in %.1f s: %.2f images/s%n", files.size(), objects, seconds,
                    files.size() / seconds);
        }
        return 0;
    }
}
