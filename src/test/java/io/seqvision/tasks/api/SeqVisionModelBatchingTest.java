package io.seqvision.tasks.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqvision.tasks.TaskKind;
import io.seqvision.tasks.data.shapes.ShapesGenerator;
import io.seqvision.tasks.data.shapes.ShapesOptions;
import io.seqvision.testing.FreedMemoryChurn;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped model served with continuous batching ({@link SeqVisionModel#loadBatching}) gives
 * every request what decoding it alone gives.
 */
class SeqVisionModelBatchingTest {

    private static final int IMAGES = 8;

    /**
     * Eight shapes scenes analysed one at a time by a model without batching, then concurrently,
     * arriving at staggered times, through a batching one whose batch holds 6 rows (so some wait for
     * room): the same detection, mask, pose and caption tokens, image by image.
     */
    @Test
    void staggeredRequestsGetTheTokensOfDecodingAlone(@TempDir Path dir) throws Exception {
        List<BufferedImage> images = scenes(dir);
        assertSameTokens(analyseAlone(images), analyseBatched(images));
    }

    /**
     * Decoding reads no native memory that the garbage collector frees: with a thread collecting
     * garbage and refilling freed blocks with NaN, alone and batched, the tokens are those of a quiet
     * run.
     */
    @Test
    void decodingIsUnchangedWhileGarbageIsCollected(@TempDir Path dir) throws Exception {
        List<BufferedImage> images = scenes(dir);
        List<Analysis> quiet = analyseAlone(images);
        try (FreedMemoryChurn churn = FreedMemoryChurn.inBackground()) {
            assertSameTokens(quiet, analyseAlone(images));
            assertSameTokens(quiet, analyseBatched(images));
        }
    }

    private static List<Analysis> analyseAlone(List<BufferedImage> images) {
        List<Analysis> alone = new ArrayList<>();
        try (SeqVisionModel model = SeqVisionModel.load()) {
            Set<TaskKind> tasks = EnumSet.copyOf(model.tasks());
            for (BufferedImage image : images) {
                alone.add(model.analyze(image, tasks, null));
            }
        }
        return alone;
    }

    private static List<Analysis> analyseBatched(List<BufferedImage> images) throws Exception {
        List<Analysis> batched = new ArrayList<>();
        ExecutorService callers = Executors.newFixedThreadPool(IMAGES);
        try (SeqVisionModel model = SeqVisionModel.loadBatching(SeqVisionModel.shippedModelDirectory(), 6)) {
            assertEquals(6, model.batchRows());
            Set<TaskKind> tasks = EnumSet.copyOf(model.tasks());
            List<Future<Analysis>> futures = new ArrayList<>();
            for (int i = 0; i < IMAGES; i++) {
                int k = i;
                futures.add(callers.submit(() -> {
                    Thread.sleep(15L * k);
                    return model.analyze(images.get(k), tasks, null);
                }));
            }
            for (Future<Analysis> future : futures) {
                batched.add(future.get());
            }
        } finally {
            callers.shutdownNow();
        }
        return batched;
    }

    private static void assertSameTokens(List<Analysis> alone, List<Analysis> batched) {
        int objects = 0;
        for (int i = 0; i < IMAGES; i++) {
            Analysis expected = alone.get(i);
            Analysis actual = batched.get(i);
            assertArrayEquals(expected.detectionSequence().tokens(), actual.detectionSequence().tokens(), "image " + i);
            assertArrayEquals(expected.captionSequence().tokens(), actual.captionSequence().tokens(), "image " + i);
            assertEquals(expected.objects().size(), actual.objects().size(), "image " + i);
            for (int j = 0; j < expected.objects().size(); j++) {
                assertArrayEquals(expected.objects().get(j).maskTokens(), actual.objects().get(j).maskTokens());
                assertArrayEquals(expected.objects().get(j).keypointTokens(), actual.objects().get(j).keypointTokens());
            }
            objects += expected.objects().size();
        }
        assertTrue(objects >= IMAGES, "the scenes should hold objects to detect, found " + objects);
    }

    @Test
    void refusesABatchWithoutRows() {
        assertThrows(IllegalArgumentException.class,
                () -> SeqVisionModel.loadBatching(SeqVisionModel.shippedModelDirectory(), 0));
    }

    private static List<BufferedImage> scenes(Path dir) throws Exception {
        new ShapesGenerator(new ShapesOptions(11, 0, IMAGES, 160, 320, 2, 6)).generate(dir);
        List<BufferedImage> images = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir.resolve("images").resolve("val"))) {
            for (Path file : files.filter(p -> p.toString().endsWith(".png")).sorted().toList()) {
                images.add(ImageIO.read(file.toFile()));
            }
        }
        return images;
    }
}
