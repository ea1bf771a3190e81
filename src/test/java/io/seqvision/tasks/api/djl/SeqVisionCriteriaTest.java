package io.seqvision.tasks.api.djl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.inference.Predictor;
import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import ai.djl.modality.cv.output.DetectedObjects;
import ai.djl.modality.cv.output.Rectangle;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import io.seqvision.tasks.TaskKind;
import io.seqvision.tasks.api.ApiFixtures;
import io.seqvision.tasks.DecodingOptions;
import io.seqvision.tasks.api.SeqVisionModel;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A seqvision model directory loaded end to end through DJL's Criteria, ZooModel and Predictor. */
class SeqVisionCriteriaTest {

    @TempDir
    static Path dir;

    private static Path modelDir;
    private static SeqVisionModel reference;

    @BeforeAll
    static void save() {
        modelDir = ApiFixtures.savedModel(dir, "{sampler: nucleus, top_p: 0.9}");
        reference = SeqVisionModel.load(modelDir);
    }

    @AfterAll
    static void close() {
        reference.close();
    }

    @Test
    void predictsWhatTheLibraryApiDetectsAndDjlCanDrawIt() throws Exception {
        BufferedImage first = ApiFixtures.image(120, 80, 3);
        BufferedImage second = ApiFixtures.image(50, 90, 4);
        Criteria<Image, DetectedObjects> criteria = SeqVisionCriteria.detection(modelDir).build();
        try (ZooModel<Image, DetectedObjects> model = criteria.loadModel();
                Predictor<Image, DetectedObjects> predictor = model.newPredictor()) {
            SeqVisionBlock block = assertInstanceOf(SeqVisionBlock.class, model.getBlock());
            assertEquals(reference.defaultDecoding(), block.decoding(TaskKind.DETECTION), "the config's eval block decides");

            Image image = ImageFactory.getInstance().fromImage(first);
            DetectedObjects predicted = predictor.predict(image);
            assertSame(reference.detect(first).toDetectedObjects(), predicted);
            assertTrue(predicted.getNumberOfObjects() > 0, "the fixture's nucleus sampling lists objects");

            List<DetectedObjects> batch = predictor.batchPredict(
                    List.of(image, ImageFactory.getInstance().fromImage(second)));
            assertEquals(2, batch.size());
            List<io.seqvision.tasks.api.DetectionResult> expected =
                    reference.detectAll(List.of(first, second), reference.defaultDecoding());
            assertSame(expected.get(0).toDetectedObjects(), batch.get(0));
            assertSame(expected.get(1).toDetectedObjects(), batch.get(1));

            image.drawBoundingBoxes(predicted);
        }
    }

    @Test
    void handWrittenCriteriaWithArgumentsThatOverrideTheDecoding() throws Exception {
        Criteria<Image, DetectedObjects> criteria = Criteria.builder()
                .setTypes(Image.class, DetectedObjects.class)
                .optModelPath(modelDir)
                .optEngine("PyTorch")
                .optArgument("blockFactory", new SeqVisionBlockFactory())
                .optArgument("sampler", "top_k")
                .optArgument("top_k", 3)
                .optArgument("seed", "4")
                .optOption("hasParameter", "false")
                .optTranslator(new DetectionTranslator())
                .build();
        BufferedImage buffered = ApiFixtures.image(64, 64, 5);
        DecodingOptions topK = new DecodingOptions("top_k", 1.0, 3, 0.9, 4, 0, true);
        try (ZooModel<Image, DetectedObjects> model = criteria.loadModel();
                Predictor<Image, DetectedObjects> predictor = model.newPredictor()) {
            assertEquals(topK, ((SeqVisionBlock) model.getBlock()).decoding(TaskKind.DETECTION));
            assertSame(reference.detect(buffered, topK).toDetectedObjects(),
                    predictor.predict(ImageFactory.getInstance().fromImage(buffered)));
        }
    }

    private static void assertSame(DetectedObjects expected, DetectedObjects actual) {
        assertEquals(expected.getNumberOfObjects(), actual.getNumberOfObjects(), actual.toString());
        for (int i = 0; i < expected.getNumberOfObjects(); i++) {
            DetectedObjects.DetectedObject e = expected.item(i);
            DetectedObjects.DetectedObject a = actual.item(i);
            assertEquals(e.getClassName(), a.getClassName());
            assertEquals(e.getProbability(), a.getProbability(), 1e-6);
            Rectangle eb = e.getBoundingBox().getBounds();
            Rectangle ab = a.getBoundingBox().getBounds();
            assertEquals(eb.getX(), ab.getX(), 1e-9);
            assertEquals(eb.getY(), ab.getY(), 1e-9);
            assertEquals(eb.getWidth(), ab.getWidth(), 1e-9);
            assertEquals(eb.getHeight(), ab.getHeight(), 1e-9);
        }
    }
}
