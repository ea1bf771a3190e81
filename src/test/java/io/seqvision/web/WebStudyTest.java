package io.seqvision.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.seqvision.tasks.api.ApiFixtures;
import io.seqvision.tasks.api.StudyTable;
import io.seqvision.tasks.config.ConfigLoader;
import io.seqvision.tasks.study.StudyReport;
import io.seqvision.tasks.study.StudyRun;
import io.seqvision.web.WebFixtures.Http;
import io.seqvision.web.api.ServerLimits;
import io.seqvision.web.insight.RunInsights;
import io.seqvision.web.insight.SampleImages;
import io.seqvision.web.service.SeqVisionInferenceService;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The model page's study table: {@code GET /api/model/study} for a model of an encoder study, 404 otherwise. */
class WebStudyTest {

    @Test
    void aModelOfAStudyListsTheStudysTable(@TempDir Path dir) throws Exception {
        Path study = dir.resolve("study");
        Path modelDir = ApiFixtures.savedModel(study.resolve("runs").resolve("convnext-tiny"), "{}");
        StudyRun finished = new StudyRun("convnext-tiny", StudyRun.FINISHED, null, Map.of("detection.ap", 0.25,
                "detection.ap50", 0.5), 1000, 5000, 2_000_000, 1_000_000, 30, 10, 60, 4, 64, 8, 16, 40);
        StudyRun failed = StudyRun.failed("hornet-test", "out of memory");
        new StudyReport(ConfigLoader.defaults(), List.of(finished, failed), Map.of("detection.ap", 0.01,
                "detection.ap50", 0.02)).write(study, encoder -> study.resolve("runs").resolve(encoder));

        StudyTable table = StudyTable.forModel(modelDir).orElseThrow();
        assertEquals("convnext-tiny", table.encoder());
        assertEquals(3, table.rows().size(), "two encoders and the baseline");

        SampleImages samples = SampleImages.generate(1);
        try (SeqVisionInferenceService service = SeqVisionInferenceService.load(modelDir);
                WebServer server = WebServer.start("127.0.0.1", 0, service, new RunInsights(modelDir, samples.images()),
                        samples, ServerLimits.defaults())) {
            HttpResponse<String> response = Http.of(server.port()).get(ApiPaths.STUDY);
            assertEquals(200, response.statusCode(), response.body());
            JsonNode body = new ObjectMapper().readTree(response.body());
            assertEquals("convnext-tiny", body.get("encoder").asText());
            assertEquals("encoder", body.get("columns").get(0).asText());
            assertEquals("detection.ap", body.get("columns").get(2).asText());
            assertEquals("0.250", body.get("rows").get(0).get(2).asText());
            assertEquals("out of memory", body.get("rows").get(1).get(body.get("columns").size() - 1).asText());
            assertEquals("trivial baseline", body.get("rows").get(2).get(0).asText());
        }
    }

    @Test
    void aModelOutsideAStudyHasNone(@TempDir Path dir) {
        Path modelDir = ApiFixtures.savedModel(dir, "{}");
        assertTrue(StudyTable.forModel(modelDir).isEmpty());
        ApiException e = assertThrows(ApiException.class,
                () -> new RunInsights(modelDir, SampleImages.generate(1).images()).study());
        assertEquals("no_study", e.code());
        assertEquals(404, e.status());
    }
}
