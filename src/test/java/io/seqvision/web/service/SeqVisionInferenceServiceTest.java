package io.seqvision.web.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqvision.tasks.api.ApiFixtures;
import io.seqvision.tasks.DecodingOptions;
import io.seqvision.tasks.api.DetectionResult;
import io.seqvision.tasks.api.SeqVisionModel;
import io.seqvision.web.api.PredictedObject;
import io.seqvision.web.api.Prediction;
import io.seqvision.web.api.TokenView;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SeqVisionInferenceServiceTest {

    @TempDir
    static Path dir;

    private static SeqVisionInferenceService service;
    private static SeqVisionModel reference;

    @BeforeAll
    static void load() {
        Path modelDir = ApiFixtures.savedModel(dir, "{sampler: temperature, temperature: 1.0}");
        service = SeqVisionInferenceService.load(modelDir);
        reference = SeqVisionModel.load(modelDir);
    }

    @AfterAll
    static void close() {
        service.close();
        reference.close();
    }

    @Test
    void describesTheModelAsDetectionOnly() {
        assertEquals("api-test", service.describe().name());
        assertEquals(List.of("detection"), service.describe().tasks());
        assertEquals(ApiFixtures.CLASSES, service.describe().classes());
        assertEquals("temperature", service.describe().decoding().sampler());
    }

    @Test
    void anExpiredDeadlineStopsDecodingAndTheModelStaysUsable() throws Exception {
        BufferedImage image = ApiFixtures.image(80, 60, 9);
        Deadline expired = Deadline.after(Duration.ofNanos(1));
        Thread.sleep(1);
        PredictionRequest request = new PredictionRequest(image, List.of(WebTask.DETECTION), DecodingOptions.greedy());
        TimeLimitExceededException e = assertThrows(TimeLimitExceededException.class,
                () -> service.predict(request, expired));
        assertEquals(504, e.status());

        Prediction after = service.predict(request, Deadline.after(Duration.ofSeconds(60)));
        DetectionResult expected = reference.detect(image, DecodingOptions.greedy());
        assertEquals(expected.detections().size(), after.objects().size());
        for (int i = 0; i < after.objects().size(); i++) {
            PredictedObject o = after.objects().get(i);
            assertEquals(expected.detections().get(i).xmin(), o.box().xmin(), 1e-9);
            assertEquals(expected.detections().get(i).score(), o.score(), 1e-7);
        }
    }

    @Test
    void tokensAreLabelledByTheirRoleInTheGrammar() {
        Prediction p = service.predict(new PredictionRequest(ApiFixtures.image(64, 64, 4), List.of(WebTask.DETECTION),
                DecodingOptions.temperature(1.0, 3)), Deadline.none());
        List<TokenView> tokens = p.sequences().get(0).tokens();
        assertEquals("detect", tokens.get(0).text());
        for (PredictedObject o : p.objects()) {
            int start = o.tokenSpans().get(0).start();
            assertTrue(tokens.get(start).text().startsWith("ymin "), tokens.get(start).toString());
            assertTrue(tokens.get(start + 1).text().startsWith("xmin "));
            assertTrue(tokens.get(start + 2).text().startsWith("ymax "));
            assertTrue(tokens.get(start + 3).text().startsWith("xmax "));
            assertEquals(o.className(), tokens.get(start + 4).text());
            double ymin = Double.parseDouble(tokens.get(start).text().substring(5));
            double ymax = Double.parseDouble(tokens.get(start + 2).text().substring(5));
            assertEquals(Math.min(ymin, ymax) * 64, o.box().ymin(), 64 * 0.0005 + 1e-9, "label rounds to 3 digits");
        }
        if (p.sequences().get(0).ended()) {
            assertEquals("end", tokens.get(tokens.size() - 1).kind());
        }
    }

    @Test
    void tasksTheModelLacksAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> service.predict(
                new PredictionRequest(ApiFixtures.image(32, 32, 1), List.of(WebTask.CAPTIONING), null), Deadline.none()));
        assertTrue(e.getMessage().contains("caption"), e.getMessage());
    }
}
