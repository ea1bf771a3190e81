package io.seqvision.bench.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.seqvision.encoder.common.DepthwiseConv;
import io.seqvision.bench.BenchCli;
import io.seqvision.tasks.config.ConfigLoader;
import io.seqvision.tasks.config.SeqVisionConfig;
import io.seqvision.tasks.data.shapes.ShapeCategory;
import io.seqvision.tasks.training.DynamicLossScaler;
import io.seqvision.tasks.training.Precision;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TrainBenchTest {

    @TempDir
    Path dir;

    private JsonNode run(String... args) throws Exception {
        Path json = dir.resolve("bench.json");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--out";
        all[args.length + 1] = json.toString();
        int code = new CommandLine(new TrainBench(new PrintStream(bytes, true, StandardCharsets.UTF_8))).execute(all);
        assertEquals(0, code, bytes.toString(StandardCharsets.UTF_8));
        return new ObjectMapper().readTree(json.toFile());
    }

    @Test
    void tinyFloat32ReportsBothLoopsAndTheirOverheadFigures() throws Exception {
        JsonNode report = run("--preset", "tiny", "--steps", "2", "--warmup", "1", "--decode-tokens", "4",
                "--decode-batch", "2", "--decode-repeats", "1", "--decode-warmup-seconds", "0.5", "--no-op-costs");
        assertEquals(124488, report.get("parameters").asLong(), "convnext-tiny + the 2 x 32 decoder");
        JsonNode training = report.get("training");
        assertEquals(2, training.size());
        JsonNode fused = training.get(0);
        JsonNode baseline = training.get(1);
        assertEquals("fused", fused.get("loop").asText());
        assertEquals("baseline", baseline.get("loop").asText());
        for (JsonNode row : training) {
            assertTrue(row.get("images_per_second").asDouble() > 0, row.toString());
            assertTrue(Double.isFinite(row.get("loss_last").asDouble()), row.toString());
        }
        assertEquals(2.0, baseline.get("host_reads_per_step").asDouble(), "clip norm and loss, every step");
        assertEquals(0.5, fused.get("host_reads_per_step").asDouble(), "the loss once per 2-step log interval");
        assertTrue(fused.get("arrays_per_step").asDouble() < baseline.get("arrays_per_step").asDouble() / 2,
                "the fused step makes far fewer arrays: " + fused + " vs " + baseline);
        JsonNode decoding = report.get("decoding");
        assertEquals(4, decoding.size(), "generator and device paths for each loop's weights");
        for (JsonNode row : decoding) {
            assertTrue(row.get("tokens_per_second").asDouble() > 0, row.toString());
            assertEquals(4, row.get("tokens").asInt());
            JsonNode perStep = row.get("per_step");
            assertTrue(perStep.get("arrays_per_step").asDouble() > 0, row.toString());
            assertTrue(perStep.get("host_reads_per_step").asDouble() > 0, row.toString());
            if (row.get("path").asText().equals("generator")) {
                assertEquals(1.0, perStep.get("host_reads_per_step").asDouble(),
                        "greedy sampling reads the logits once a step and uploads nothing but the tokens: " + row);
                assertEquals(1.0, perStep.get("uploads_per_step").asDouble(), row.toString());
            }
        }
        assertFalse(Files.list(dir).anyMatch(p -> !p.getFileName().toString().equals("bench.json")),
                "no temporary file is left behind");
    }

    @Test
    void profileTracesTheTrainingStepsAndEachDecodingAsChromeTraces() throws Exception {
        Path trace = dir.resolve("trace.json");
        run("--preset", "tiny", "--loops", "fused", "--steps", "1", "--warmup", "1", "--decode-tokens", "3",
                "--decode-batch", "2", "--decode-repeats", "1", "--decode-warmup-seconds", "0.2", "--no-op-costs",
                "--profile", trace.toString(), "--profile-steps", "1");
        JsonNode training = new ObjectMapper().readTree(dir.resolve("trace-fused.json").toFile());
        JsonNode decoding = new ObjectMapper().readTree(dir.resolve("trace-fused-decode-b2.json").toFile());
        assertTrue(operations(training, "aten::convolution_backward") > 0, "the backward pass is in the step's trace");
        assertTrue(operations(decoding, "aten::native_layer_norm") > 0);
        assertEquals(0, operations(decoding, "aten::convolution_backward"), "decoding runs no backward pass");
    }

    private static long operations(JsonNode trace, String name) {
        long count = 0;
        for (JsonNode event : trace) {
            if (name.equals(event.path("name").asText()) && "X".equals(event.path("ph").asText())) {
                count++;
            }
        }
        return count;
    }

    @Test
    void float16RunsTheFusedLoopOnTheCpu() throws Exception {
        JsonNode report = run("--preset", "tiny", "--precision", "fp16", "--steps", "2", "--warmup", "1",
                "--decode-tokens", "3", "--decode-batch", "2", "--decode-repeats", "1", "--decode-warmup-seconds", "0.5", "--no-op-costs");
        JsonNode training = report.get("training");
        assertEquals(1, training.size());
        assertEquals("fp16", report.get("settings").get("precision").asText());
        assertEquals(1.5, training.get(0).get("host_reads_per_step").asDouble(),
                "one finiteness read per step, and the loss once per 2-step log interval");
        assertTrue(Double.isFinite(training.get(0).get("loss_last").asDouble()));
    }

    @Test
    void anOverflowingFloat16StepIsSkippedAndTheScaleBackedOff() {
        try (BenchModel bench = BenchModel.create(BenchPreset.PRESETS.get("tiny"), 2, Device.cpu(),
                DepthwiseConv.Path.AUTO, 3);
                FusedTrainingLoop loop = new FusedTrainingLoop(bench, Precision.FP16, 0.05, 1.0,
                        new DynamicLossScaler(1e20, 2, 1e-4, 2000))) {
            NDArray firstMaster = loop.flatParameters().groups().get(0).master();
            float[] before = firstMaster.toFloatArray();
            loop.step(1e-3);
            assertEquals(1, loop.skippedSteps(), "a loss scaled by 1e20 overflows float16 gradients");
            assertArrayEquals(before, firstMaster.toFloatArray(), 0f, "the skipped step changed no weight");
            assertEquals(1e16, loop.lossScale(), 1e4, "backed off by the factor 1e-4");
            for (int i = 0; i < 10 && loop.skippedSteps() == i + 1; i++) {
                loop.step(1e-3);
            }
            long skipped = loop.skippedSteps();
            assertTrue(skipped > 1 && skipped < 10, "each overflow backs the scale off until steps fit: " + skipped);
            assertFalse(java.util.Arrays.equals(before, firstMaster.toFloatArray()), "the first applied step moved the weights");
        }
    }

    @Test
    void bf16IsRefusedWithTheReasonNotACrash() {
        // "bench", the command's former name, still runs it
        String err = runFailing("bench", "--preset", "tiny", "--precision", "bf16");
        assertTrue(err.contains("bf16") && err.contains("JNI") && err.contains("fp16"), err);
    }

    @Test
    void badArgumentsAreNamed() {
        assertTrue(runFailing("bench-train", "--preset", "huge").contains("tiny, nano, t, replknet-31b, slak-t"));
        assertTrue(runFailing("bench-train", "--device", "tpu").contains("--device 'tpu'"));
        assertTrue(runFailing("bench-train", "--precision", "fp16", "--loops", "baseline").contains("float32 only"));
        assertTrue(runFailing("bench-train", "--dwconv", "winograd").contains("auto, direct, fft"));
        assertTrue(runFailing("bench-train", "--decode-tokens", "40").contains("maximum length 22"));
        assertTrue(runFailing("bench-train", "--decode-warmup-seconds", "-1").contains("--decode-warmup-seconds"));
    }

    private static String runFailing(String... args) {
        CommandLine cli = BenchCli.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        assertEquals(2, code, err.toString());
        return err.toString();
    }

    @Test
    void presetsMatchThePythonReferencesFile() throws Exception {
        JsonNode file = new ObjectMapper().readTree(Path.of("bench/presets.json").toFile());
        assertEquals(BenchPreset.PRESETS.size(), file.size());
        for (BenchPreset preset : BenchPreset.PRESETS.values()) {
            JsonNode expected = new ObjectMapper().valueToTree(TrainBench.presetJson(preset));
            ((com.fasterxml.jackson.databind.node.ObjectNode) expected).remove("name");
            assertEquals(expected, file.get(preset.name()), "bench/presets.json entry " + preset.name());
        }
    }

    @Test
    void nanoIsTheShapesConfigsModel() {
        SeqVisionConfig config = ConfigLoader.load(Path.of("configs/shapes-detection.yaml"));
        BenchPreset fromConfig = BenchPreset.fromConfig(config, ShapeCategory.values().length);
        BenchPreset nano = BenchPreset.PRESETS.get("nano");
        assertEquals(new BenchPreset("nano", fromConfig.encoder(), fromConfig.imageSize(), fromConfig.decoder(),
                fromConfig.classes(), fromConfig.coordBins(), fromConfig.maxObjects(), fromConfig.batch()), nano);
    }
}
