package io.seqvision.web;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.seqvision.tasks.api.ApiFixtures;
import io.seqvision.tasks.DecodingOptions;
import io.seqvision.tasks.api.Detection;
import io.seqvision.tasks.api.DetectionResult;
import io.seqvision.tasks.api.SeqVisionModel;
import io.seqvision.tokenizers.Vocabulary;
import io.seqvision.web.WebFixtures.Http;
import io.seqvision.web.api.ServerLimits;
import io.seqvision.web.insight.RunInsights;
import io.seqvision.web.insight.SampleImages;
import io.seqvision.web.service.SeqVisionInferenceService;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The REST API in-process, over HTTP on an ephemeral loopback port, with a tiny untrained model. */
class WebApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_UPLOAD = 256 * 1024;

    @TempDir
    static Path dir;

    private static SeqVisionInferenceService service;
    private static SeqVisionModel reference;
    private static WebServer server;
    private static Http http;

    @BeforeAll
    static void start() throws Exception {
        Path modelDir = ApiFixtures.savedModel(dir, "{sampler: temperature, temperature: 1.0}");
        Files.writeString(dir.resolve("metrics.csv"),
                "step,loss,learning_rate,images_per_second\n50,5.25,3.3e-04,90.75\n100,4.62,6.7e-04,117.35\n");
        service = SeqVisionInferenceService.load(modelDir);
        reference = SeqVisionModel.load(modelDir);
        SampleImages samples = SampleImages.generate(2);
        ServerLimits limits = new ServerLimits(MAX_UPLOAD, 1024, 1024L * 768, 4, 2, 20_000);
        server = WebServer.start("127.0.0.1", 0, service, new RunInsights(modelDir, samples.images()), samples, limits);
        http = Http.of(server.port());
    }

    @AfterAll
    static void stop() {
        server.close();
        service.close();
        reference.close();
    }

    private static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    private static JsonNode error(HttpResponse<String> response, int status, String code) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"),
                response.headers().toString());
        JsonNode body = json(response);
        assertEquals(status, body.get("status").asInt());
        assertEquals(code, body.get("error").asText(), response.body());
        assertFalse(body.get("message").asText().isBlank());
        return body;
    }

    @Test
    void healthAndModelDescribeTheServerAndOnlyTheSupportedTasks() throws Exception {
        JsonNode health = json(http.get("/api/health"));
        assertEquals("ok", health.get("status").asText());
        assertEquals("api-test", health.get("model").asText());

        HttpResponse<String> response = http.get("/api/model");
        assertEquals(200, response.statusCode());
        JsonNode overview = json(response);
        JsonNode model = overview.get("model");
        assertEquals("convnext-tiny", model.get("encoder").asText());
        assertEquals(64, model.get("imageSize").asInt());
        assertEquals(ApiFixtures.CLASSES, JSON.convertValue(model.get("classes"), List.class));
        assertEquals(List.of("detection"), JSON.convertValue(model.get("tasks"), List.class));
        assertEquals("temperature", model.get("decoding").get("sampler").asText());
        assertEquals(List.of("detection", "segmentation", "keypoints", "captioning"),
                JSON.convertValue(overview.get("knownTasks"), List.class));
        assertEquals(17, overview.get("keypointLayout").get("names").size());
        assertEquals(MAX_UPLOAD, overview.get("limits").get("maxUploadBytes").asLong());
    }

    @Test
    void predictionsAreTheLibrarysDetectionsWithTheirTokenSpans() throws Exception {
        BufferedImage image = ApiFixtures.image(200, 120, 3);
        int listed = 0;
        for (long seed = 0; seed < 4; seed++) {
            HttpResponse<String> response = http.post("/api/predict?tasks=detection&seed=" + seed,
                    WebFixtures.encode(image, "png"), "image/png");
            assertEquals(200, response.statusCode(), response.body());
            JsonNode p = json(response);
            DetectionResult expected = reference.detect(image, reference.defaultDecoding().withSeed(seed));
            assertEquals(200, p.get("imageWidth").asInt());
            assertEquals(120, p.get("imageHeight").asInt());
            assertEquals(seed, p.get("decoding").get("seed").asLong());

            JsonNode tokens = p.get("sequences").get(0).get("tokens");
            int[] generated = expected.generation().tokens();
            int extra = expected.generation().ended() ? 2 : 1;
            assertEquals(generated.length + extra, tokens.size(), "prompt, generated tokens, end token");
            assertEquals(Vocabulary.PROMPT_DETECTION, tokens.get(0).get("id").asInt());
            assertEquals("prompt", tokens.get(0).get("kind").asText());
            for (int i = 0; i < generated.length; i++) {
                assertEquals(generated[i], tokens.get(i + 1).get("id").asInt(), "token " + i);
                assertEquals(expected.generation().probabilities()[i], tokens.get(i + 1).get("probability").asDouble(), 1e-6);
            }

            List<Detection> detections = expected.detections();
            JsonNode objects = p.get("objects");
            assertEquals(detections.size(), objects.size());
            for (int i = 0; i < detections.size(); i++) {
                Detection d = detections.get(i);
                JsonNode o = objects.get(i);
                assertEquals(d.className(), o.get("className").asText());
                assertEquals(d.score(), o.get("score").asDouble(), 1e-7);
                JsonNode box = o.get("box");
                assertEquals(d.xmin(), box.get("xmin").asDouble(), 1e-9);
                assertEquals(d.ymin(), box.get("ymin").asDouble(), 1e-9);
                assertEquals(d.xmax(), box.get("xmax").asDouble(), 1e-9);
                assertEquals(d.ymax(), box.get("ymax").asDouble(), 1e-9);
                JsonNode span = o.get("tokenSpans").get(0);
                assertEquals(0, span.get("sequence").asInt());
                assertEquals(1 + 5 * i, span.get("start").asInt());
                assertEquals(6 + 5 * i, span.get("end").asInt());
                assertEquals("class", tokens.get(span.get("end").asInt() - 1).get("kind").asText());
                assertEquals(d.className(), tokens.get(span.get("end").asInt() - 1).get("text").asText());
                assertFalse(o.has("mask") || o.has("keypoints"), "absent extras are omitted, not null");
                listed++;
            }
        }
        assertTrue(listed > 0, "an untrained model sampled at temperature 1 lists some objects");
    }

    @Test
    void multipartUploadsAndOtherFormatsWork() throws Exception {
        BufferedImage image = ApiFixtures.image(96, 64, 5);
        String boundary = "seqvision-boundary-1";
        HttpResponse<String> form = http.send(HttpRequest.newBuilder(URI.create(http.base() + "/api/predict"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(WebFixtures.multipart(boundary, WebFixtures.encode(image, "png"), "tasks", "detection",
                        "sampler", "greedy")).build());
        assertEquals(200, form.statusCode(), form.body());
        JsonNode body = json(form);
        assertEquals("greedy", body.get("decoding").get("sampler").asText());
        DetectionResult greedy = reference.detect(image, DecodingOptions.greedy().withSeed(5));
        assertEquals(greedy.detections().size(), body.get("objects").size());

        for (String format : List.of("jpg", "bmp", "gif")) {
            HttpResponse<String> response = http.post("/api/predict", WebFixtures.encode(image, format),
                    "application/octet-stream");
            assertEquals(200, response.statusCode(), format + ": " + response.body());
            assertEquals(96, json(response).get("imageWidth").asInt());
        }
    }

    @Test
    void badTasksAreRefusedWithReasons() throws Exception {
        byte[] png = WebFixtures.encode(ApiFixtures.image(64, 64, 1), "png");
        JsonNode unknown = error(http.post("/api/predict?tasks=detection,teleport", png, "image/png"), 400, "unknown_task");
        assertTrue(unknown.get("message").asText().contains("teleport"), unknown.toString());
        assertTrue(unknown.get("message").asText().contains("segmentation"), "lists the known tasks: " + unknown);
        JsonNode unsupported = error(http.post("/api/predict?tasks=caption", png, "image/png"), 400, "unsupported_task");
        assertTrue(unsupported.get("message").asText().contains("caption"), unsupported.toString());
        error(http.post("/api/predict?tasks=,", png, "image/png"), 400, "no_task");
        JsonNode decoding = error(http.post("/api/predict?sampler=beam", png, "image/png"), 400, "bad_decoding");
        assertTrue(decoding.get("message").asText().contains("beam"), decoding.toString());
        error(http.post("/api/predict?top_p=1.5", png, "image/png"), 400, "bad_decoding");
        error(http.post("/api/predict?seed=abc", png, "image/png"), 400, "bad_decoding");
    }

    @Test
    void badImagesAreRefusedBeforeDecodingWithReasons() throws Exception {
        error(http.post("/api/predict", new byte[0], "image/png"), 400, "empty_upload");
        JsonNode text = error(http.post("/api/predict", "hello, this is text".getBytes(), "image/png"), 415, "not_an_image");
        assertTrue(text.get("message").asText().contains("PNG"), text.toString());

        byte[] png = WebFixtures.encode(ApiFixtures.image(300, 200, 2), "png");
        error(http.post("/api/predict", Arrays.copyOf(png, png.length / 2), "image/png"), 400, "corrupt_image");
        byte[] jpeg = WebFixtures.encode(ApiFixtures.image(300, 200, 2), "jpg");
        JsonNode cut = error(http.post("/api/predict", Arrays.copyOf(jpeg, jpeg.length / 2), "image/jpeg"), 400,
                "corrupt_image");
        assertTrue(cut.get("message").asText().contains("JPEG"), cut.toString());

        JsonNode huge = error(http.post("/api/predict", ImageHeaders.pngHeaderOnly(50_000, 40_000), "image/png"), 413,
                "image_too_large");
        assertTrue(huge.get("message").asText().contains("50000x40000"), huge.toString());
        error(http.post("/api/predict", WebFixtures.encode(ApiFixtures.image(1000, 800, 2), "png"), "image/png"), 413,
                "image_too_large");

        JsonNode big = error(http.post("/api/predict", new byte[(int) MAX_UPLOAD + 1], "image/png"), 413,
                "upload_too_large");
        assertTrue(big.get("message").asText().contains(String.valueOf(MAX_UPLOAD)), big.toString());
    }

    @Test
    void anUploadWithoutADeclaredLengthIsCutAtTheCap() throws Exception {
        byte[] body = new byte[(int) MAX_UPLOAD * 2];
        HttpRequest chunked = HttpRequest.newBuilder(URI.create(http.base() + "/api/predict"))
                .header("Content-Type", "image/png")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build();
        error(http.send(chunked), 413, "upload_too_large");
    }

    @Test
    void unknownRoutesAnswerJson() throws Exception {
        error(http.get("/api/nothing-here"), 404, "not_found");
        error(http.get("/api/samples/none.png"), 404, "no_sample");
    }

    @Test
    void theOpenApiDescriptionCoversEveryRoute() throws Exception {
        HttpResponse<String> response = http.get(ApiPaths.OPENAPI);
        assertEquals(200, response.statusCode());
        JsonNode spec = json(response);
        assertTrue(spec.get("openapi").asText().startsWith("3."));
        Set<String> described = new TreeSet<>();
        spec.get("paths").fieldNames().forEachRemaining(described::add);
        assertEquals(new TreeSet<>(ApiPaths.ALL), described);
        JsonNode responses = spec.get("paths").get(ApiPaths.PREDICT).get("post").get("responses");
        for (String status : List.of("200", "400", "413", "415", "503", "504")) {
            assertNotNull(responses.get(status), "predict documents " + status);
        }
    }

    @Test
    void thePageAndItsAssetsAreServedByTheApp() throws Exception {
        HttpResponse<String> page = http.get("/");
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("<canvas id=\"overlay\""), "the demo page");
        List<String> assets = new ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?:src|href)=\"(/[^\"]+)\"").matcher(page.body());
        while (m.find()) {
            assets.add(m.group(1));
        }
        assertTrue(assets.containsAll(List.of("/app.css", "/app.js")), assets.toString());
        for (String asset : assets) {
            assertEquals(200, http.get(asset).statusCode(), asset);
        }
        assertFalse(page.body().matches("(?s).*(src|href)=\"https?://.*"), "no third-party assets");
    }

    @Test
    void samplesReceptiveFieldAndLearningCurves() throws Exception {
        JsonNode samples = json(http.get("/api/samples"));
        assertEquals(2, samples.size());
        HttpResponse<byte[]> sample = http.getBytes(samples.get(0).get("url").asText());
        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(sample.body()));
        assertEquals(samples.get(0).get("width").asInt(), decoded.getWidth());

        JsonNode erf = json(http.get("/api/model/erf"));
        assertEquals("convnext-tiny", erf.get("encoder").asText());
        assertEquals(64, erf.get("inputSide").asInt());
        assertEquals(2, erf.get("images").asInt());
        assertTrue(erf.get("side20").asInt() <= erf.get("side50").asInt()
                && erf.get("side50").asInt() <= erf.get("side99").asInt() && erf.get("side99").asInt() <= 64, erf.toString());
        HttpResponse<byte[]> png = http.getBytes("/api/model/erf.png");
        assertEquals("image/png", png.headers().firstValue("Content-Type").orElse(""));
        BufferedImage heat = ImageIO.read(new ByteArrayInputStream(png.body()));
        assertEquals(256, heat.getWidth(), "64 px field drawn 4x");

        JsonNode curves = json(http.get("/api/model/metrics"));
        assertEquals(List.of("step", "loss", "learning_rate", "images_per_second"),
                JSON.convertValue(curves.get("columns"), List.class));
        assertEquals(2, curves.get("rows").size());
        assertEquals(4.62, curves.get("rows").get(1).get(1).asDouble(), 1e-12);
    }

    /** Keeps the iterator import honest for readers of JSON field names. */
    @SuppressWarnings("unused")
    private static List<String> names(Iterator<String> it) {
        List<String> names = new ArrayList<>();
        it.forEachRemaining(names::add);
        return names;
    }
}
