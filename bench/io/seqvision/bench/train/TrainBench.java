package io.seqvision.bench.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.seqvision.encoder.common.DepthwiseConv;
import io.seqvision.tasks.config.ConfigLoader;
import io.seqvision.tasks.storage.AtomicFiles;
import io.seqvision.tasks.training.Precision;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code seqvision bench-train} (formerly {@code seqvision bench}, still accepted): training images/s and decoding tokens/s of a randomly initialised model
 * on synthetic data, with per-step overhead figures, as a table and as JSON. The PyTorch reference
 * {@code bench/pix2seq_bench.py} takes the same presets and flags and writes the same JSON keys,
 * so both run side by side on one machine.
 */
@Command(name = "bench-train", aliases = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Training images/s (forward, backward, clipping, AdamW) and greedy decoding tokens/s with the",
            "key/value cache, for a preset or a config's model on synthetic data, plus per-step overhead figures."})
public final class TrainBench implements Callable<Integer> {

    static final double LEARNING_RATE = 1e-4;
    static final double WEIGHT_DECAY = 0.05;
    static final double CLIP_NORM = 1.0;
    /** Seconds of untimed decoding before each decoding row is timed. */
    private boolean decodingWarm;

    @Option(names = "--preset", description = "tiny, nano, t, replknet-31b or slak-t (default: tiny unless --config)")
    String preset;

    @Option(names = "--config", description = "a training config file whose model, vocabulary and batch to use")
    Path config;

    @Option(names = "--classes", description = "class tokens for --config (its data is not read; default: ${DEFAULT-VALUE})")
    int classes = 80;

    @Option(names = "--device", description = "cpu or gpu (default: ${DEFAULT-VALUE})")
    String device = "cpu";

    @Option(names = "--precision", description = "fp32, fp16 (float32 master weights, loss scaling) or bf16 (default: ${DEFAULT-VALUE})")
    String precision = "fp32";

    @Option(names = "--loops", split = ",",
            description = "training loops to time: fused, baseline (fp32 only) (default: both in fp32, fused otherwise)")
    List<String> loops;

    @Option(names = "--batch", description = "images per step (default: the preset's)")
    Integer batch;

    @Option(names = "--warmup", description = "untimed steps first (default: ${DEFAULT-VALUE})")
    int warmup = 3;

    @Option(names = "--steps", description = "timed steps (default: ${DEFAULT-VALUE})")
    int steps = 10;

    @Option(names = "--log-every", description = "the fused loop reads the loss every N steps (default: --steps)")
    Integer logEvery;

    @Option(names = "--decode-tokens", description = "tokens per sequence when timing decoding; 0 skips it (default: the preset's sequence length)")
    Integer decodeTokens;

    @Option(names = "--decode-batch", split = ",",
            description = "sequences decoded together; several (e.g. 1,32) give a row each (default: --batch)")
    List<Integer> decodeBatch;

    // the first decoding in a JVM needs longer than later ones: after 3 s it still ran at half its later speed
    @Option(names = "--decode-warmup-seconds", description = "untimed decoding before the first loop's timing;"
            + " later loops warm for a quarter of it (default: ${DEFAULT-VALUE})")
    double decodeWarmupSeconds = 12;

    @Option(names = "--decode-repeats", description = "timed decoding runs, best reported (default: ${DEFAULT-VALUE})")
    int decodeRepeats = 5;

    @Option(names = "--dwconv", description = "large-kernel conv path of replknet/slak encoders: auto, direct, fft (default: ${DEFAULT-VALUE})")
    String dwconv = "auto";

    @Option(names = "--op-costs", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "also time single DJL ops on this device (default: ${DEFAULT-VALUE})")
    boolean opCosts;

    @Option(names = "--threads", description = "PyTorch intra-op threads (default: PyTorch's own choice)")
    Integer threads;

    @Option(names = "--seed", description = "random seed (default: ${DEFAULT-VALUE})")
    long seed = 1;

    @Option(names = "--out", description = "also write the results as JSON to this file (atomically)")
    Path out;

    @Option(names = "--profile", description = "after the timed steps, run --profile-steps more under libtorch's"
            + " profiler and write its trace (Chrome trace JSON: every ATen operation with its time and shapes) to"
            + " this file per loop, the loop's name before the extension, and one traced decoding per --decode-batch"
            + " (suffix -decode-b<rows>); bench/op_profile.py sums traces per step")
    Path profile;

    @Option(names = "--profile-steps", description = "steps the profiler records (default: ${DEFAULT-VALUE})")
    int profileSteps = 2;

    private final PrintStream console;

    public TrainBench() {
        this(System.out);
    }

    TrainBench(PrintStream console) {
        this.console = console;
    }

    @Override
    public Integer call() {
        BenchPreset chosen = resolvePreset();
        Device target = resolveDevice();
        Precision p = Precision.parse(precision);
        p.check(target);
        DepthwiseConv.Path path = parsePath();
        List<String> loopNames = resolveLoops(p);
        int b = batch != null ? batch : chosen.batch();
        int every = logEvery != null ? logEvery : steps;
        int tokens = decodeTokens != null ? decodeTokens : chosen.sequenceLength();
        List<Integer> rowCounts = decodeBatch != null && !decodeBatch.isEmpty() ? decodeBatch : List.of(b);
        for (int rows : rowCounts) {
            check(b, every, tokens, rows, chosen);
        }
        if (threads != null) {
            if (threads < 1) {
                throw new IllegalArgumentException("--threads must be at least 1, got " + threads);
            }
            Engine.getInstance(); // loads the native library the call below needs
            ai.djl.pytorch.jni.JniUtils.setNumThreads(threads);
        }

        Map<String, Object> report = new LinkedHashMap<>();
        report.put("tool", "seqvision (DJL " + Engine.getDjlVersion() + ", " + Engine.getInstance().getEngineName()
                + " " + Engine.getInstance().getVersion() + ")");
        report.put("time", Instant.now().toString());
        report.put("machine", machine(target));
        report.put("preset", presetJson(chosen));
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("device", device);
        settings.put("precision", p.name().toLowerCase(Locale.ROOT));
        settings.put("batch", b);
        settings.put("warmup", warmup);
        settings.put("steps", steps);
        settings.put("log_every", every);
        settings.put("dwconv", path.name().toLowerCase(Locale.ROOT));
        settings.put("threads", threads == null ? "default" : threads);
        settings.put("learning_rate", LEARNING_RATE);
        settings.put("weight_decay", WEIGHT_DECAY);
        settings.put("clip_norm", CLIP_NORM);
        report.put("settings", settings);

        List<Map<String, Object>> training = new ArrayList<>();
        List<Map<String, Object>> decoding = new ArrayList<>();
        for (String loopName : loopNames) {
            try (BenchModel model = BenchModel.create(chosen, b, target, path, seed);
                    TrainingLoop loop = loopName.equals("baseline")
                            ? new BaselineTrainingLoop(model, WEIGHT_DECAY, CLIP_NORM)
                            : new FusedTrainingLoop(model, p, WEIGHT_DECAY, CLIP_NORM)) {
                report.put("parameters", model.parameterCount());
                training.add(timeTraining(loop, every));
                if (profile != null) {
                    profileTraining(loop);
                }
                if (tokens > 0) {
                    for (int rows : rowCounts) {
                        decoding.addAll(timeDecoding(model, loop, tokens, rows));
                    }
                }
            }
        }
        report.put("training", training);
        report.put("decoding", decoding);
        if (opCosts) {
            report.put("op_costs_us", OperationCosts.measure(target));
        }
        printTables(report);
        if (out != null) {
            AtomicFiles.writeString(out, toJson(report));
            console.println("wrote " + out);
        }
        return 0;
    }

    /** Steps under libtorch's profiler, traced into {@link #profile} with the loop's name added. */
    private void profileTraining(TrainingLoop loop) {
        traced(loop.name(), profileSteps + " steps of the " + loop.name() + " loop", () -> {
            for (int i = 0; i < profileSteps; i++) {
                loop.step(LEARNING_RATE);
            }
            loop.drainLoss();
        });
    }

    /** Runs {@code work} under libtorch's profiler, its trace written to {@link #profile} with {@code suffix} added. */
    private void traced(String suffix, String what, Runnable work) {
        String name = profile.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String file = dot > 0 ? name.substring(0, dot) + "-" + suffix + name.substring(dot) : name + "-" + suffix;
        Path trace = profile.resolveSibling(file).toAbsolutePath();
        JniUtils.startProfile(false, true, false);
        try {
            work.run();
        } finally {
            JniUtils.stopProfile(trace.toString());
        }
        console.println("profiled " + what + ": " + trace);
    }

    private Map<String, Object> timeTraining(TrainingLoop loop, int every) {
        for (int i = 0; i < warmup; i++) {
            loop.step(LEARNING_RATE);
        }
        double firstLoss = loop.drainLoss();
        loop.resetCounters();
        List<Double> losses = new ArrayList<>();
        double[] stepSeconds = new double[steps];
        double[] cpuSeconds = new double[steps];
        java.lang.management.ThreadMXBean threadsBean = java.lang.management.ManagementFactory.getThreadMXBean();
        long start = System.nanoTime();
        for (int i = 0; i < steps; i++) {
            long stepStart = System.nanoTime();
            long cpuStart = threadsBean.getCurrentThreadCpuTime();
            loop.step(LEARNING_RATE);
            if ((i + 1) % every == 0 || i + 1 == steps) {
                losses.add(loop.drainLoss());
            }
            stepSeconds[i] = (System.nanoTime() - stepStart) / 1e9;
            cpuSeconds[i] = (threadsBean.getCurrentThreadCpuTime() - cpuStart) / 1e9;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double median = median(stepSeconds);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("loop", loop.name());
        row.put("description", loop.description());
        row.put("step_ms", 1e3 * seconds / steps);
        row.put("images_per_second", loop.bench.batch * steps / seconds);
        row.put("step_ms_median", 1e3 * median);
        row.put("images_per_second_at_median", loop.bench.batch / median);
        // With --threads 1 on the CPU, PyTorch runs every op on this thread: its CPU time is the step's
        // cost without the time other processes took the core, the figure to read on a shared machine.
        double cpuMedian = median(cpuSeconds);
        row.put("thread_cpu_ms_median", 1e3 * cpuMedian);
        row.put("images_per_thread_cpu_second", loop.bench.batch / cpuMedian);
        Map<String, Object> phases = new LinkedHashMap<>();
        for (int i = 0; i < TrainingLoop.PHASES.length; i++) {
            phases.put(TrainingLoop.PHASES[i], loop.phaseNanos[i] / 1e6 / steps);
        }
        row.put("host_ms_per_step", phases);
        row.put("arrays_per_step", loop.arraysCreated < 0 ? null : loop.arraysCreated / (double) loop.steps);
        row.put("host_reads_per_step", loop.hostReads / (double) steps);
        row.put("loss_after_warmup", firstLoss);
        row.put("loss_last", losses.get(losses.size() - 1));
        if (loop instanceof FusedTrainingLoop fused) {
            row.put("skipped_steps", fused.skippedSteps());
        }
        return row;
    }

    /** The median, robust to steps slowed by other processes on a shared machine. */
    static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private List<Map<String, Object>> timeDecoding(BenchModel model, TrainingLoop loop, int tokens, int rows) {
        ParameterStore store = loop.inferenceStore();
        NDArray images = model.images.get(new NDIndex("0:{}", rows));
        if (loop instanceof FusedTrainingLoop fused && fused.precision() != Precision.FP32) {
            images = images.toType(fused.precision().dataType(), false);
        }
        NDArray memory = model.model.encode(store, images, false);
        // Warm up by time, not by count: DJL's Java side of an op is compiled by the JIT only after
        // thousands of calls, and a 16-token warm-up timed the generator at a fifth of its steady speed.
        double warmUp = decodingWarm ? decodeWarmupSeconds / 4 : decodeWarmupSeconds;
        decodingWarm = true;
        long warmUntil = System.nanoTime() + (long) (warmUp * 1e9);
        do {
            DecodeThroughput.generator(model.model, store, memory, tokens, 1);
            DecodeThroughput.deviceLoop(model.model, store, memory, tokens, 1);
        } while (System.nanoTime() < warmUntil);
        List<Map<String, Object>> result = new ArrayList<>();
        Map<String, Object> generator = decodeRow(loop, "generator", rows, tokens,
                DecodeThroughput.generator(model.model, store, memory, tokens, decodeRepeats));
        generator.put("per_step", DecodeThroughput.generatorBreakdown(model.model, store, memory, tokens));
        result.add(generator);
        if (profile != null) {
            traced(loop.name() + "-decode-b" + rows, "one decoding of " + rows + " x " + tokens + " tokens",
                    () -> DecodeThroughput.generator(model.model, store, memory, tokens, 1));
        }
        Map<String, Object> device = decodeRow(loop, "device", rows, tokens,
                DecodeThroughput.deviceLoop(model.model, store, memory, tokens, decodeRepeats));
        device.put("per_step", DecodeThroughput.deviceLoopBreakdown(model.model, store, memory, tokens));
        result.add(device);
        return result;
    }

    private static Map<String, Object> decodeRow(TrainingLoop loop, String how, int rows, int tokens, double rate) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("weights_from", loop.name());
        row.put("path", how);
        row.put("batch", rows);
        row.put("tokens", tokens);
        row.put("tokens_per_second", rate);
        return row;
    }

    private BenchPreset resolvePreset() {
        if (config != null && preset != null) {
            throw new IllegalArgumentException("give --preset or --config, not both");
        }
        if (config != null) {
            if (classes < 1) {
                throw new IllegalArgumentException("--classes must be at least 1, got " + classes);
            }
            return BenchPreset.fromConfig(ConfigLoader.load(config), classes);
        }
        String name = preset == null ? "tiny" : preset;
        BenchPreset found = BenchPreset.PRESETS.get(name);
        if (found == null) {
            throw new IllegalArgumentException("unknown --preset '" + name + "'; valid: "
                    + String.join(", ", BenchPreset.PRESETS.keySet()));
        }
        return found;
    }

    private Device resolveDevice() {
        switch (device.toLowerCase(Locale.ROOT)) {
            case "cpu":
                return Device.cpu();
            case "gpu":
                if (Engine.getInstance().getGpuCount() == 0) {
                    throw new IllegalArgumentException("--device gpu: DJL's PyTorch engine sees no GPU (it needs a CUDA"
                            + " libtorch and a JNI built against it; see docs/NOTES.md, 'Speed and the GPU machine')");
                }
                return Device.gpu();
            default:
                throw new IllegalArgumentException("unknown --device '" + device + "'; valid: cpu, gpu");
        }
    }

    private DepthwiseConv.Path parsePath() {
        for (DepthwiseConv.Path p : DepthwiseConv.Path.values()) {
            if (p.name().equalsIgnoreCase(dwconv)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown --dwconv '" + dwconv + "'; valid: auto, direct, fft");
    }

    private List<String> resolveLoops(Precision p) {
        List<String> names = loops != null ? loops : p == Precision.FP32 ? List.of("fused", "baseline") : List.of("fused");
        for (String name : names) {
            if (!name.equals("fused") && !name.equals("baseline")) {
                throw new IllegalArgumentException("unknown --loops value '" + name + "'; valid: fused, baseline");
            }
            if (name.equals("baseline") && p != Precision.FP32) {
                throw new IllegalArgumentException("--loops baseline runs float32 only (AdamW keeps no float32 master"
                        + " copy); use --loops fused with --precision " + p.name().toLowerCase(Locale.ROOT));
            }
        }
        if (names.isEmpty()) {
            throw new IllegalArgumentException("--loops needs at least one of fused, baseline");
        }
        return names;
    }

    private void check(int b, int every, int tokens, int rows, BenchPreset chosen) {
        if (b < 1 || steps < 1 || warmup < 0 || every < 1 || decodeRepeats < 1 || rows < 1 || tokens < 0) {
            throw new IllegalArgumentException("--batch, --steps, --log-every, --decode-batch and --decode-repeats must"
                    + " be at least 1, --warmup and --decode-tokens at least 0; got batch " + b + ", steps " + steps
                    + ", log-every " + every + ", decode-batch " + rows + ", decode-repeats " + decodeRepeats
                    + ", warmup " + warmup + ", decode-tokens " + tokens);
        }
        if (!(decodeWarmupSeconds >= 0 && decodeWarmupSeconds <= 3600)) {
            throw new IllegalArgumentException("--decode-warmup-seconds must be between 0 and 3600, got "
                    + decodeWarmupSeconds);
        }
        if (rows > b) {
            throw new IllegalArgumentException("--decode-batch " + rows + " exceeds --batch " + b
                    + " (decoding reuses the training batch's images)");
        }
        if (tokens >= chosen.maxLength()) {
            throw new IllegalArgumentException("--decode-tokens " + tokens + " does not fit the decoder's maximum length "
                    + chosen.maxLength() + " after the prompt (at most " + (chosen.maxLength() - 1) + ")");
        }
    }

    private static Map<String, Object> machine(Device target) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("device", target.toString());
        m.put("cpu_cores", Runtime.getRuntime().availableProcessors());
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        m.put("java", System.getProperty("java.version"));
        return m;
    }

    static Map<String, Object> presetJson(BenchPreset p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", p.name());
        m.put("encoder", p.encoder());
        m.put("image_size", p.imageSize());
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("width", p.decoder().width());
        d.put("layers", p.decoder().layers());
        d.put("heads", p.decoder().heads());
        d.put("mlp_dim", p.decoder().mlpDim());
        d.put("dropout", p.decoder().dropout());
        m.put("decoder", d);
        m.put("classes", p.classes());
        m.put("coord_bins", p.coordBins());
        m.put("max_objects", p.maxObjects());
        m.put("batch", p.batch());
        return m;
    }

    @SuppressWarnings("unchecked")
    private void printTables(Map<String, Object> report) {
        Map<String, Object> settings = (Map<String, Object>) report.get("settings");
        Map<String, Object> presetInfo = (Map<String, Object>) report.get("preset");
        console.printf(Locale.ROOT, "%s, %s, %s, batch %s, %s parameters, %d cores, %s steps after %s warm-up%n%n",
                presetInfo.get("name"), settings.get("device"), settings.get("precision"), settings.get("batch"),
                report.get("parameters"), Runtime.getRuntime().availableProcessors(), settings.get("steps"),
                settings.get("warmup"));
        console.println("| loop | step ms (mean / median) | images/s (mean / median) | thread CPU ms (median) | arrays/step | host reads/step | host ms: forward | backward | clip | update | loss read |");
        console.println("|---|---|---|---|---|---|---|---|---|---|---|");
        for (Map<String, Object> row : (List<Map<String, Object>>) report.get("training")) {
            Map<String, Object> ph = (Map<String, Object>) row.get("host_ms_per_step");
            console.printf(Locale.ROOT, "| %s | %.2f / %.2f | %.1f / %.1f | %.2f | %s | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f |%n",
                    row.get("loop"), row.get("step_ms"), row.get("step_ms_median"), row.get("images_per_second"),
                    row.get("images_per_second_at_median"), row.get("thread_cpu_ms_median"),
                    row.get("arrays_per_step") == null ? "-" : String.format(Locale.ROOT, "%.0f", row.get("arrays_per_step")),
                    row.get("host_reads_per_step"), ph.get("forward"), ph.get("backward"), ph.get("clip"),
                    ph.get("update"), ph.get("loss read"));
        }
        List<Map<String, Object>> decoding = (List<Map<String, Object>>) report.get("decoding");
        if (!decoding.isEmpty()) {
            console.println();
            // Per step: one token for every sequence of the batch.
            console.println("| weights from | decoding path | batch | tokens | tokens/s | arrays/step | host reads/step"
                    + " | uploads/step | decoder ms/step | host ms/step |");
            console.println("|---|---|---|---|---|---|---|---|---|---|");
            for (Map<String, Object> row : decoding) {
                Map<String, Object> ps = (Map<String, Object>) row.get("per_step");
                console.printf(Locale.ROOT, "| %s | %s | %s | %s | %.0f | %s | %.2f | %.2f | %s | %s |%n",
                        row.get("weights_from"), row.get("path"), row.get("batch"), row.get("tokens"),
                        row.get("tokens_per_second"), format("%.0f", ps.get("arrays_per_step")),
                        ps.get("host_reads_per_step"), ps.get("uploads_per_step"),
                        format("%.3f", ps.get("decoder_ms_per_step")), format("%.3f", ps.get("host_ms_per_step")));
            }
        }
        Map<String, Double> costs = (Map<String, Double>) report.get("op_costs_us");
        if (costs != null) {
            console.println();
            console.println("| single DJL op, 256 elements | us per call |");
            console.println("|---|---|");
            costs.forEach((op, us) -> console.printf(Locale.ROOT, "| %s | %.1f |%n", op, us));
        }
    }

    /** {@code value} formatted, or "-" where the figure does not exist. */
    private static String format(String pattern, Object value) {
        return value == null ? "-" : String.format(Locale.ROOT, pattern, value);
    }

    static String toJson(Map<String, Object> report) {
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(report) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write the bench report as JSON: " + e.getMessage(), e);
        }
    }
}
