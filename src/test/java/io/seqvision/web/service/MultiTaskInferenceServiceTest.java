package io.seqvision.web.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqvision.tasks.api.ApiFixtures;
import io.seqvision.tasks.DecodingOptions;
import io.seqvision.web.api.PredictedObject;
import io.seqvision.web.api.Prediction;
import io.seqvision.web.api.TokenSpan;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The web service over a model trained for all four tasks (untrained weights: structure, not quality). */
class MultiTaskInferenceServiceTest {

    @Test
    void everyTaskComesBackWithTokenSpansThatPointAtItsSequences(@TempDir Path dir) {
        try (SeqVisionInferenceService service =
                SeqVisionInferenceService.load(ApiFixtures.savedMultiTaskModel(dir))) {
            assertEquals(List.of("detection", "segmentation", "keypoints", "captioning"), service.describe().tasks());
            Prediction p = service.predict(new PredictionRequest(ApiFixtures.image(72, 64, 5),
                    List.of(WebTask.values()), DecodingOptions.temperature(2, 11)), Deadline.none());
            assertNotNull(p.caption());
            TokenSpan captionSpan = p.caption().tokenSpans().get(0);
            assertEquals("captioning", p.sequences().get(captionSpan.sequence()).task());
            for (PredictedObject object : p.objects()) {
                assertNotNull(object.mask(), "segmentation was asked for");
                assertEquals("detection", p.sequences().get(object.tokenSpans().get(0).sequence()).task());
                assertEquals("segmentation", p.sequences().get(object.tokenSpans().get(1).sequence()).task());
                boolean person = object.className().equals("person");
                assertEquals(person, object.keypoints() != null, object.className());
                assertEquals(person ? 3 : 2, object.tokenSpans().size());
            }
            if (p.objects().stream().anyMatch(o -> o.keypoints() != null)) {
                assertNotNull(p.keypointLayout());
            }

            Prediction captionOnly = service.predict(new PredictionRequest(ApiFixtures.image(72, 64, 5),
                    List.of(WebTask.CAPTIONING), null), Deadline.none());
            assertTrue(captionOnly.objects().isEmpty());
            assertNull(captionOnly.keypointLayout());
            assertEquals(1, captionOnly.sequences().size());
        }
    }
}
