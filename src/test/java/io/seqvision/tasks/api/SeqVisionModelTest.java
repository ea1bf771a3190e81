package io.seqvision.tasks.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqvision.decoder.generate.GeneratedSequence;
import io.seqvision.tasks.DecodingOptions;
import io.seqvision.tokenizers.BoxTokenizer;
import io.seqvision.tokenizers.Vocabulary;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SeqVisionModelTest {

    @TempDir
    static Path dir;

    private static Path modelDir;
    private static SeqVisionModel model;

    @BeforeAll
    static void load() {
        modelDir = ApiFixtures.savedModel(dir, "{sampler: temperature, temperature: 1.0}");
        model = SeqVisionModel.load(modelDir);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void describesItselfFromItsDirectory() {
        assertEquals(ApiFixtures.CLASSES, model.classNames());
        assertEquals(64, model.imageSize());
        assertEquals(new Vocabulary(3, 32, 0), model.vocabulary());
        assertEquals(DecodingOptions.temperature(1.0, 5), model.defaultDecoding());
        assertEquals(modelDir, model.directory());
    }

    @Test
    void boxesAreThoseOfTheTokensInPixelsOfTheOriginalImage() {
        BufferedImage image = ApiFixtures.image(200, 100, 1);
        Vocabulary vocabulary = model.vocabulary();
        int detected = 0;
        for (long seed = 0; seed < 4; seed++) {
            DetectionResult result = model.detect(image, DecodingOptions.temperature(1.0, seed));
            assertEquals(200, result.imageWidth());
            assertEquals(100, result.imageHeight());
            int[] tokens = result.generation().tokens();
            float[] probabilities = result.generation().probabilities();
            List<Detection> detections = result.detections();
            assertEquals(tokens.length / BoxTokenizer.TOKENS_PER_OBJECT, detections.size(),
                    "every object of the constrained output is read: " + result.generation());
            for (int i = 0; i < detections.size(); i++) {
                Detection d = detections.get(i);
                int at = i * BoxTokenizer.TOKENS_PER_OBJECT;
                double y1 = vocabulary.coordOf(tokens[at]) * 100;
                double x1 = vocabulary.coordOf(tokens[at + 1]) * 200;
                double y2 = vocabulary.coordOf(tokens[at + 2]) * 100;
                double x2 = vocabulary.coordOf(tokens[at + 3]) * 200;
                assertEquals(Math.min(x1, x2), d.xmin(), 1e-9);
                assertEquals(Math.max(x1, x2), d.xmax(), 1e-9);
                assertEquals(Math.min(y1, y2), d.ymin(), 1e-9);
                assertEquals(Math.max(y1, y2), d.ymax(), 1e-9);
                assertEquals(vocabulary.classIndexOf(tokens[at + 4]), d.classIndex());
                assertEquals(ApiFixtures.CLASSES.get(d.classIndex()), d.className());
                assertEquals(probabilities[at + 4], d.score(), 1e-7);
                assertTrue(d.score() > 0 && d.score() <= 1);
                assertTrue(d.xmin() >= 0 && d.xmax() <= 200 && d.ymin() >= 0 && d.ymax() <= 100, d.toString());
                detected++;
            }
        }
        assertTrue(detected > 0, "an untrained model sampled at temperature 1 should list some objects");
    }

    @Test
    void sameOptionsGiveTheSameResultAndSeedsMatter() {
        BufferedImage image = ApiFixtures.image(90, 120, 2);
        DetectionResult first = model.detect(image);
        assertEquals(first, model.detect(image), "the config's decoding, seeded by the config's seed");
        assertEquals(first, model.detect(image, model.defaultDecoding()));
        boolean differs = false;
        for (long seed = 100; seed < 104 && !differs; seed++) {
            differs = !first.generation().equals(
                    model.detect(image, model.defaultDecoding().withSeed(seed)).generation());
        }
        assertTrue(differs, "other seeds should sample other tokens");
    }

    @Test
    void cachedAndRecomputedDecodingAgree() {
        BufferedImage image = ApiFixtures.image(64, 64, 3);
        for (DecodingOptions options : List.of(DecodingOptions.greedy(), DecodingOptions.topK(5, 1.0, 7))) {
            GeneratedSequence cached = model.detect(image, options).generation();
            GeneratedSequence recomputed = model.detect(image, options.withKeyValueCache(false)).generation();
            assertArrayEquals(recomputed.tokens(), cached.tokens(), options.toString());
            assertArrayEquals(recomputed.probabilities(), cached.probabilities(), 1e-5f);
        }
    }

    @Test
    void detectFromAFileEqualsDetectFromTheImage() throws Exception {
        BufferedImage image = ApiFixtures.image(80, 50, 4);
        Path file = dir.resolve("image.png");
        ImageIO.write(image, "png", file.toFile());
        assertEquals(model.detect(image), model.detect(file));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> model.detect(dir.resolve("missing.png")));
        assertTrue(e.getMessage().contains("missing.png"), e.getMessage());
    }

    @Test
    void aBatchGivesWhatSingleCallsGiveUnderGreedyDecoding() {
        List<BufferedImage> images = List.of(ApiFixtures.image(64, 32, 5), ApiFixtures.image(40, 70, 6));
        List<DetectionResult> batch = model.detectAll(images, DecodingOptions.greedy());
        assertEquals(2, batch.size());
        for (int i = 0; i < images.size(); i++) {
            GeneratedSequence single = model.detect(images.get(i), DecodingOptions.greedy()).generation();
            assertArrayEquals(single.tokens(), batch.get(i).generation().tokens());
            assertArrayEquals(single.probabilities(), batch.get(i).generation().probabilities(), 1e-5f);
            assertEquals(images.get(i).getWidth(), batch.get(i).imageWidth());
        }
    }

    @Test
    void generateGivesRawTokensWithOrWithoutTheGrammar() {
        BufferedImage image = ApiFixtures.image(64, 64, 7);
        int[] prompt = {Vocabulary.PROMPT_DETECTION};
        DecodingOptions options = DecodingOptions.temperature(1.0, 11);
        GeneratedSequence constrained = model.generate(image, prompt, options, model.detectionGrammar());
        assertEquals(model.detect(image, options).generation(), constrained);

        GeneratedSequence free = model.generate(image, prompt, options.withMaxNewTokens(6));
        assertTrue(free.length() <= 6 && free.length() == free.probabilities().length);
        GeneratedSequence unlimited = model.generate(image, prompt, DecodingOptions.greedy());
        int maxLength = 1 + 4 * BoxTokenizer.TOKENS_PER_OBJECT + 1;
        assertTrue(unlimited.ended() || unlimited.length() == maxLength,
                "without a budget, generation runs to the end token or the decoder's last position");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> model.generate(image, new int[] {model.vocabulary().size()}, options));
        assertTrue(e.getMessage().contains("outside the vocabulary"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> model.generate(image, prompt, options.withMaxNewTokens(500)));
        assertTrue(e.getMessage().contains("maximum length"), e.getMessage());
    }

    @Test
    void concurrentCallersGetWhatSequentialCallsGet() throws Exception {
        int threads = 4;
        int callsPerThread = 3;
        List<BufferedImage> images = new ArrayList<>();
        List<DecodingOptions> options = new ArrayList<>();
        for (int i = 0; i < threads * callsPerThread; i++) {
            images.add(ApiFixtures.image(48 + 8 * i, 64, 20 + i));
            options.add(i % 2 == 0 ? DecodingOptions.greedy() : DecodingOptions.nucleus(0.9, 1.0, i));
        }
        List<DetectionResult> sequential = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            sequential.add(model.detect(images.get(i), options.get(i)));
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<List<DetectionResult>>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int first = t * callsPerThread;
                futures.add(pool.submit(() -> {
                    List<DetectionResult> mine = new ArrayList<>();
                    for (int i = first; i < first + callsPerThread; i++) {
                        mine.add(model.detect(images.get(i), options.get(i)));
                    }
                    return mine;
                }));
            }
            for (int t = 0; t < threads; t++) {
                List<DetectionResult> mine = futures.get(t).get();
                for (int c = 0; c < callsPerThread; c++) {
                    DetectionResult expected = sequential.get(t * callsPerThread + c);
                    DetectionResult actual = mine.get(c);
                    assertArrayEquals(expected.generation().tokens(), actual.generation().tokens(), "call " + (t * callsPerThread + c));
                    assertArrayEquals(expected.generation().probabilities(), actual.generation().probabilities(), 1e-6f);
                    assertEquals(expected.detections().size(), actual.detections().size());
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aClosedModelRefusesWorkAndBadDirectoriesAreNamed() {
        SeqVisionModel second = SeqVisionModel.load(modelDir);
        second.close();
        second.close();
        IllegalStateException closed = assertThrows(IllegalStateException.class,
                () -> second.detect(ApiFixtures.image(32, 32, 1)));
        assertTrue(closed.getMessage().contains("closed") && closed.getMessage().contains(modelDir.toString()),
                closed.getMessage());

        IllegalArgumentException missing =
                assertThrows(IllegalArgumentException.class, () -> SeqVisionModel.load(dir.resolve("nowhere")));
        assertTrue(missing.getMessage().contains("nowhere") && missing.getMessage().contains("bundle.json"),
                missing.getMessage());
    }
}
