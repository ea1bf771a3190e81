package io.seqvision.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.seqvision.web.WebFixtures.Http;
import io.seqvision.web.WebFixtures.ScriptedService;
import io.seqvision.web.api.ServerLimits;
import io.seqvision.web.insight.SampleImages;
import io.seqvision.web.service.WebTask;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 16, item 7 and the server's smaller items: malformed multipart, Jetty's own errors,
 * wrong methods, security headers, and a bounded fuzz of the upload endpoint on loopback.
 */
@org.junit.jupiter.api.Tag("fault-suite")
class WebFaultsTest {

    /** Fixed so a failure replays; printed by the fuzz. */
    static final long FUZZ_SEED = 16;
    static final int FUZZ_UPLOADS = 300;
    private static final ObjectMapper JSON = new ObjectMapper();

    private static WebServer server;
    private static Http http;

    @BeforeAll
    static void start() {
        server = WebServer.start("127.0.0.1", 0, new ScriptedService(WebTask.names()), WebFixtures.scriptedInsights(),
                SampleImages.generate(1), ServerLimits.defaults());
        http = Http.of(server.port());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<String> postRaw(String contentType, byte[] body) {
        // a fresh connection: after answering a broken body the server may close the one it came on
        return Http.of(server.port()).post("/api/predict?tasks=detection", body, contentType);
    }

    private static void assertJsonError(int status, HttpResponse<String> response) throws Exception {
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("application/json"),
                response.headers().toString());
        JsonNode body = JSON.readTree(response.body());
        assertEquals(status, body.get("status").asInt());
        assertTrue(body.get("message").asText().length() > 5, response.body());
    }

    /** Issue 16: the task is {@code captioning} in the CLI and the REST API alike; {@code caption} still works. */
    @Test
    void captioningIsTheApisTaskNameAndCaptionStillWorks() throws Exception {
        JsonNode overview = JSON.readTree(http.get("/api/model").body());
        assertEquals(List.of("detection", "segmentation", "keypoints", "captioning"),
                JSON.convertValue(overview.get("knownTasks"), List.class));
        assertTrue(JSON.convertValue(overview.get("model").get("tasks"), List.class).contains("captioning"),
                overview.toString());
        byte[] png = WebFixtures.encode(WebFixtures.grey(20, 20), "png");
        for (String name : List.of("captioning", "caption")) {
            HttpResponse<String> response = http.post("/api/predict?tasks=detection," + name, png, "image/png");
            assertEquals(200, response.statusCode(), response.body());
            JsonNode prediction = JSON.readTree(response.body());
            assertEquals(List.of("detection", "captioning"), JSON.convertValue(prediction.get("tasks"), List.class), name);
            assertEquals(ScriptedService.CAPTION, prediction.get("caption").get("text").asText(), name);
        }
    }

    @Test
    void malformedMultipartIsA400NotA500() throws Exception {
        byte[] png = WebFixtures.encode(WebFixtures.grey(20, 20), "png");
        assertJsonError(400, postRaw("multipart/form-data", png));
        assertJsonError(400, postRaw("multipart/form-data; boundary=XyZ",
                "--XyZ\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a.png\"\r\n\r\nabc"
                        .getBytes(StandardCharsets.ISO_8859_1)));
        assertJsonError(400, postRaw("multipart/form-data; boundary=XyZ", "garbage garbage".getBytes()));
        assertEquals(200, Http.of(server.port()).get("/api/health").statusCode());
    }

    @Test
    void wrongMethodsAre405() throws Exception {
        assertJsonError(405, http.get("/api/predict"));
        assertJsonError(405, http.send(HttpRequest.newBuilder(URI.create(http.base() + "/api/health"))
                .POST(HttpRequest.BodyPublishers.noBody()).build()));
    }

    @Test
    void answersCarrySecurityHeaders() {
        for (String path : List.of("/", "/app.js", "/api/health", "/api/nothing-here")) {
            HttpResponse<String> response = http.get(path);
            assertEquals("nosniff", response.headers().firstValue("X-Content-Type-Options").orElse(null), path);
            assertEquals("DENY", response.headers().firstValue("X-Frame-Options").orElse(null), path);
            assertTrue(response.headers().firstValue("Content-Security-Policy").orElse("")
                    .contains("frame-ancestors 'none'"), path);
        }
    }

    /** What Jetty answers itself (before Javalin): the raw response to hand-written request bytes. */
    private static String raw(String request) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    answer.write(buffer, 0, n);
                }
            } catch (java.io.IOException reset) {
                // the server may close after its error answer
            }
            return answer.toString(StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void jettysOwnErrorsAreJson() throws Exception {
        String longUri = raw("GET /" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        String bigHeader = raw("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(20_000)
                + "\r\nConnection: close\r\n\r\n");
        String garbage = raw("GET / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\nConnection: close\r\n\r\n");
        for (String[] c : new String[][] {{"414", longUri}, {"431", bigHeader}, {"400", garbage}}) {
            assertTrue(c[1].startsWith("HTTP/1.1 " + c[0]), c[1]);
            assertTrue(c[1].toLowerCase().contains("content-type: application/json"), c[1]);
            String body = c[1].substring(c[1].indexOf("\r\n\r\n") + 4);
            assertEquals(Integer.parseInt(c[0]), JSON.readTree(body).get("status").asInt(), c[1]);
        }
    }

    /**
     * Random bytes, PNGs and JPEGs with bytes flipped, cut or inserted, and mutated multipart
     * forms: never a 5xx, and the server still answers afterwards.
     */
    @Test
    void fuzzedUploadsNeverGetA5xx() throws Exception {
        System.out.println("upload fuzz: seed " + FUZZ_SEED + ", " + FUZZ_UPLOADS + " uploads");
        Random random = new Random(FUZZ_SEED);
        List<byte[]> seeds = List.of(WebFixtures.encode(WebFixtures.grey(40, 30), "png"),
                WebFixtures.encode(WebFixtures.grey(33, 21), "jpg"));
        int[] counts = new int[6];
        for (int i = 0; i < FUZZ_UPLOADS; i++) {
            byte[] bytes = mutate(seeds.get(random.nextInt(seeds.size())), random);
            // a fresh connection each time: after answering a broken body the server may close the old one
            Http http = Http.of(server.port());
            HttpResponse<String> response;
            switch (i % 3) {
                case 0 -> response = http.post("/api/predict?tasks=detection", bytes, "image/png");
                case 1 -> response = http.send(HttpRequest.newBuilder(URI.create(http.base() + "/api/predict"))
                        .header("Content-Type", "multipart/form-data; boundary=B" + i)
                        .POST(WebFixtures.multipart("B" + i, bytes, "tasks", "detection")).build());
                default -> {
                    ByteArrayOutputStream form = new ByteArrayOutputStream();
                    WebFixtures.multipart("B" + i, bytes, "tasks", "detection")
                            .subscribe(new java.util.concurrent.Flow.Subscriber<>() {
                                public void onSubscribe(java.util.concurrent.Flow.Subscription s) {
                                    s.request(Long.MAX_VALUE);
                                }
                                public void onNext(java.nio.ByteBuffer b) {
                                    byte[] chunk = new byte[b.remaining()];
                                    b.get(chunk);
                                    form.writeBytes(chunk);
                                }
                                public void onError(Throwable t) {}
                                public void onComplete() {}
                            });
                    response = http.post("/api/predict?tasks=detection", mutate(form.toByteArray(), random),
                            "multipart/form-data; boundary=B" + i);
                }
            }
            assertTrue(response.statusCode() < 500, "upload " + i + ": " + response.statusCode() + " " + response.body());
            counts[response.statusCode() / 100]++;
        }
        System.out.println("upload fuzz: " + counts[2] + " answered 2xx, " + counts[4] + " answered 4xx");
        assertEquals(200, http.get("/api/health").statusCode(), "the server is alive after the fuzz");
    }

    private static byte[] mutate(byte[] original, Random random) {
        byte[] bytes = original.clone();
        switch (random.nextInt(5)) {
            case 0 -> {
                bytes = new byte[random.nextInt(2000)];
                random.nextBytes(bytes);
            }
            case 1 -> {
                for (int k = 0, n = 1 + random.nextInt(8); k < n; k++) {
                    bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
                }
            }
            case 2 -> bytes = java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length));
            case 3 -> {
                int at = random.nextInt(bytes.length);
                byte[] noise = new byte[1 + random.nextInt(64)];
                random.nextBytes(noise);
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                out.write(bytes, 0, at);
                out.writeBytes(noise);
                out.write(bytes, at, bytes.length - at);
                bytes = out.toByteArray();
            }
            default -> {
                // header intact, body scrambled: the decoder's own error paths
                for (int k = Math.min(40, bytes.length); k < bytes.length; k += 1 + random.nextInt(16)) {
                    bytes[k] = (byte) random.nextInt(256);
                }
            }
        }
        return bytes;
    }
}
