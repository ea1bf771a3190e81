import io.seqvision.tasks.api.SeqVisionModel;
import io.seqvision.tasks.data.ImageInput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The single-JVM baseline for spark-predict: SeqVisionModel.analyze over every image of a folder,
 * one at a time, all the model's tasks (as `seqvision predict` does per image, without its files).
 * Run: java -cp target/classes:$(cat target/classpath.txt) bench/spark/PredictLoop.java MODEL DIR
 */
public class PredictLoop {
    public static void main(String[] args) throws Exception {
        List<Path> images;
        try (Stream<Path> files = Files.list(Path.of(args[1]))) {
            images = files.filter(p -> p.toString().endsWith(".png")).sorted().toList();
        }
        try (SeqVisionModel model = SeqVisionModel.load(Path.of(args[0]))) {
            long start = System.nanoTime();
            int objects = 0;
            for (Path image : images) {
                objects += model.analyze(ImageInput.read(image), model.tasks(), null).objects().size();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("%d images, %d objects in %.1f s: %.2f images/s%n", images.size(), objects, seconds,
                    images.size() / seconds);
        }
    }
}
