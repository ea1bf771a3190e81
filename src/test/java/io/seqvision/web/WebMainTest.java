package io.seqvision.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.seqvision.tasks.api.ApiFixtures;
import io.seqvision.web.WebFixtures.Http;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class WebMainTest {

    @TempDir
    Path dir;

    @Test
    void serveStartsTheDemoForAModelDirectory() {
        Path modelDir = ApiFixtures.savedModel(dir, "{sampler: greedy}");
        WebMain main = new WebMain();
        new CommandLine(main).parseArgs("--model", modelDir.toString(), "--port", "0", "--queue", "3",
                "--workers", "1", "--samples", "2", "--max-upload-mb", "2");
        try (WebMain.Serving serving = main.serve()) {
            Http http = Http.of(serving.server().port());
            assertEquals(200, http.get("/api/health").statusCode());
            String model = http.get("/api/model").body();
            assertTrue(model.contains("\"queueCapacity\":3") && model.contains("\"workers\":1")
                    && model.contains("\"maxUploadBytes\":2097152"), model);
            assertTrue(http.get("/api/samples").body().contains("sample-2.png"));
        }
    }

    /** Issue 17: with batching a request thread mostly waits for the shared decoder, so one per batch row. */
    @Test
    void batchingServesWithOneWorkerPerBatchRowUnlessTold() throws Exception {
        Path modelDir = ApiFixtures.savedModel(dir, "{sampler: greedy}");
        WebMain main = new WebMain();
        new CommandLine(main).parseArgs("--model", modelDir.toString(), "--port", "0", "--batch-rows", "4",
                "--samples", "1");
        try (WebMain.Serving serving = main.serve()) {
            Http http = Http.of(serving.server().port());
            assertTrue(http.get("/api/model").body().contains("\"workers\":4"));
            assertEquals(200, http.post("/api/predict?tasks=detection", WebFixtures.encode(ApiFixtures.image(64, 48, 1), "png"), "image/png").statusCode());
            JsonNode decoding = new ObjectMapper().readTree(http.get("/api/health").body()).get("decoding");
            assertEquals(4, decoding.get("maxRows").asInt());
            // one request alone: every step served its one sequence, and it took at least one step
            assertTrue(decoding.get("steps").asLong() >= 1, decoding.toString());
            assertEquals(1.0, decoding.get("meanRows").asDouble(), decoding.toString());
            assertTrue(decoding.get("decoderMsPerStep").asDouble() > 0, decoding.toString());
        }
        main = new WebMain();
        new CommandLine(main).parseArgs("--model", modelDir.toString(), "--port", "0", "--batch-rows", "0",
                "--samples", "1");
        try (WebMain.Serving serving = main.serve()) {
            assertTrue(Http.of(serving.server().port()).get("/api/model").body().contains("\"workers\":2"));
            assertFalse(new ObjectMapper().readTree(Http.of(serving.server().port()).get("/api/health").body())
                    .has("decoding"), "without batching there are no shared steps to describe");
        }
    }

    /** Issue 16: a limit out of range is refused naming the option, not the record's component. */
    @Test
    void anOutOfRangeLimitNamesTheOption() {
        for (String[] option : new String[][] {{"--queue", "-1"}, {"--workers", "0"}, {"--max-upload-mb", "0"},
                {"--max-image-side", "0"}, {"--time-limit-ms", "0"}, {"--batch-rows", "-1"}, {"--op-threads", "0"}}) {
            StringWriter err = new StringWriter();
            CommandLine cli = WebMain.commandLine();
            cli.setErr(new PrintWriter(err));
            assertEquals(2, cli.execute("--model", dir.resolve("nowhere").toString(), "--port", "0", option[0], option[1]));
            String said = err.toString();
            assertTrue(said.startsWith("error: " + option[0] + " must be ") && said.contains("got " + option[1]), said);
            assertTrue(!said.contains("queueCapacity") && !said.contains("maxUploadBytes") && !said.contains("timeLimitMs"),
                    said);
        }
    }

    @Test
    void aMissingModelDirectoryIsOneClearLine() {
        StringWriter err = new StringWriter();
        CommandLine cli = WebMain.commandLine();
        cli.setErr(new PrintWriter(err));
        int code = cli.execute("--model", dir.resolve("nowhere").toString(), "--port", "0");
        assertEquals(2, code);
        assertTrue(err.toString().startsWith("error: ") && err.toString().contains("nowhere")
                && err.toString().contains("bundle.json"), err.toString());
        assertEquals(1, err.toString().strip().lines().count(), "one line, no stack trace: " + err);
    }
}
