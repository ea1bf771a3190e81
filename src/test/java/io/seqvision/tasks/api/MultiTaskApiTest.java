package io.seqvision.tasks.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqvision.tasks.DecodingOptions;
import io.seqvision.tasks.TaskKind;
import io.seqvision.tokenizers.CocoKeypoints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.EnumSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The multi-task calls of {@link SeqVisionModel} on an untrained model: what comes back is well formed. */
class MultiTaskApiTest {

    @TempDir
    static Path dir;

    private static SeqVisionModel model;

    @BeforeAll
    static void load() {
        model = SeqVisionModel.load(ApiFixtures.savedMultiTaskModel(dir));
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void analyzeRunsEveryTaskAndChainsThemByObject() {
        assertEquals(EnumSet.allOf(TaskKind.class), model.tasks());
        BufferedImage image = ApiFixtures.image(96, 80, 3);
        Analysis analysis = model.analyze(image, EnumSet.allOf(TaskKind.class), DecodingOptions.temperature(2, 7));
        assertEquals(96, analysis.imageWidth());
        assertNotNull(analysis.caption());
        assertEquals(5 * analysis.objects().size(), analysis.detectionSequence().tokens().length,
                "every detected object is five tokens of the detection response");
        for (int k = 0; k < analysis.objects().size(); k++) {
            AnalyzedObject object = analysis.objects().get(k);
            assertArrayEquals(new int[] {5 * k, 5 * k + 5}, object.detectionSpan());
            assertTrue(object.maskTokens().length > 0, "segmentation ran for object " + k);
            for (double[] polygon : object.polygons()) {
                assertTrue(polygon.length >= 6 && polygon.length % 2 == 0);
                for (int i = 0; i < polygon.length; i += 2) {
                    assertTrue(polygon[i] >= 0 && polygon[i] <= 96 && polygon[i + 1] >= 0 && polygon[i + 1] <= 80);
                }
            }
            boolean person = object.detection().className().equals("person");
            assertEquals(person ? CocoKeypoints.COUNT : 0, object.keypoints().size(),
                    "keypoints exactly for persons: " + object.detection());
        }
    }

    @Test
    void segmentationAloneStillPointsEachObjectAtItsDetectionTokens() {
        // the web's token spans read these; a segmentation-only request once failed there with an empty span
        Analysis masks = model.analyze(ApiFixtures.image(96, 80, 3), EnumSet.of(TaskKind.SEGMENTATION),
                DecodingOptions.temperature(2, 7));
        assertFalse(masks.objects().isEmpty(), "the fixture's sampling detects something");
        for (int k = 0; k < masks.objects().size(); k++) {
            assertArrayEquals(new int[] {5 * k, 5 * k + 5}, masks.objects().get(k).detectionSpan());
        }
        assertEquals(5 * masks.objects().size(), masks.detectionSequence().tokens().length);
    }

    @Test
    void eachTaskAloneRunsOnlyWhatItNeeds() {
        BufferedImage image = ApiFixtures.image(64, 64, 4);
        Analysis caption = model.analyze(image, EnumSet.of(TaskKind.CAPTIONING), null);
        assertTrue(caption.objects().isEmpty());
        assertEquals(0, caption.detectionSequence().tokens().length);
        assertEquals(caption.caption(), model.caption(image), "the config's greedy decoding is deterministic");
        Analysis boxes = model.analyze(image, EnumSet.of(TaskKind.DETECTION), null);
        assertNull(boxes.caption());
        boxes.objects().forEach(o -> assertTrue(o.polygons().isEmpty() && o.keypoints().isEmpty()));
        assertEquals(boxes.objects().size(), model.segment(image).size());
        model.keypoints(image).forEach(o -> assertEquals("person", o.detection().className()));
    }

    @Test
    void aTaskTheModelLacksIsRefusedNamingWhatItDoes(@TempDir Path other) {
        try (SeqVisionModel detector = SeqVisionModel.load(ApiFixtures.savedModel(other, "{sampler: greedy}"))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> detector.caption(ApiFixtures.image(32, 32, 1)));
            assertTrue(e.getMessage().contains("captioning") && e.getMessage().contains("detection"), e.getMessage());
            assertThrows(IllegalArgumentException.class,
                    () -> detector.analyze(ApiFixtures.image(32, 32, 1), EnumSet.noneOf(TaskKind.class), null));
        }
    }
}
