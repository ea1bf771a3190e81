package io.seqvision.bench.decode;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.seqvision.decoder.EncoderDecoderModel;
import io.seqvision.decoder.generate.GenerationOptions;
import io.seqvision.decoder.generate.GenerationResult;
import io.seqvision.decoder.generate.Generator;
import io.seqvision.decoder.generate.GreedySampler;
import io.seqvision.decoder.generate.TokenConstraint;
import io.seqvision.encoder.EncoderRegistry;
import io.seqvision.tasks.config.DecoderConfig;
import io.seqvision.tasks.config.ModelConfig;
import io.seqvision.tasks.model.ModelFactory;
import io.seqvision.tokenizers.Vocabulary;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code seqvision bench-decode}: decoding speed with and without the key/value cache, for
 * randomly initialised models, on the CPU (or whatever device DJL picks).
 *
 * <p>Each model decodes a batch of sequences of exactly N tokens (greedy; the end token is masked
 * so that no sequence stops early) from an image memory encoded once; only decoding is timed.
 * Each cell is the best of {@code --repeats} runs, after three 100-token warm-up runs per path.
 * Tokens per second count every generated token of the batch. The vocabulary is Pix2Seq-sized:
 * 80 classes and 1000 coordinate bins (1110 tokens).
 */
@Command(name = "bench-decode", mixinStandardHelpOptions = true,
        description = "Decoding tokens/second with and without the key/value cache, for random-initialised models.")
public final class DecodeBench implements Callable<Integer> {

    /** Model presets: encoder, image side and decoder size. */
    static final Map<String, ModelConfig> PRESETS = Map.of(
            "tiny", new ModelConfig("convnext-tiny", 64, new DecoderConfig(32, 2, 2, 64, 0.0)),
            "default", new ModelConfig("convnext-s16-small", 128, new DecoderConfig(192, 3, 6, 768, 0.0)),
            "t", new ModelConfig("convnext-t", 224, new DecoderConfig(256, 6, 8, 1024, 0.0)));

    @Option(names = "--models", split = ",",
            description = "presets among tiny, default, t (default: ${DEFAULT-VALUE})")
    List<String> models = List.of("tiny", "t");

    @Option(names = "--lengths", split = ",", description = "generated tokens per sequence (default: ${DEFAULT-VALUE})")
    List<Integer> lengths = List.of(100, 500);

    @Option(names = "--batch", description = "sequences decoded together (default: ${DEFAULT-VALUE})")
    int batch = 1;

    @Option(names = "--repeats", description = "timed runs per cell, best reported (default: ${DEFAULT-VALUE})")
    int repeats = 2;

    @Option(names = "--recompute", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "also time full-prefix recomputation; --no-recompute skips it (default: ${DEFAULT-VALUE})")
    boolean recompute;

    private static final int WARM_UP_TOKENS = 100;

    private final PrintStream out;

    public DecodeBench() {
        this(System.out);
    }

    DecodeBench(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() {
        check();
        Vocabulary vocabulary = new Vocabulary(80, 1000, 0);
        int maxLength = lengths.stream().mapToInt(Integer::intValue).max().orElseThrow() + 1;
        out.printf(Locale.ROOT, "Decoding speed, batch %d, vocabulary %d, %s, %d cores, best of %d%n%n",
                batch, vocabulary.size(), Engine.getInstance().defaultDevice(),
                Runtime.getRuntime().availableProcessors(), repeats);
        out.println("| model | encoder | decoder (layers x width) | tokens | cached tok/s | recomputed tok/s | speed-up |");
        out.println("|---|---|---|---|---|---|---|");
        for (String name : models) {
            ModelConfig config = PRESETS.get(name);
            try (NDManager manager = NDManager.newBaseManager()) {
                Engine.getInstance().setRandomSeed(1);
                EncoderDecoderModel model = ModelFactory.create(
                        config, vocabulary, maxLength, EncoderRegistry.defaults(), manager);
                model.freezeParameters(true);
                ParameterStore parameterStore = new ParameterStore(manager, false);
                int side = config.imageSize();
                NDArray images = manager.randomNormal(new Shape(batch, 3, side, side));
                NDArray memory = model.encode(parameterStore, images, false);
                // The JIT and the native kernels warm up on short runs of both paths first.
                for (int w = 0; w < 3; w++) {
                    generate(model, parameterStore, memory, Math.min(WARM_UP_TOKENS, maxLength - 1), true);
                    if (recompute) {
                        generate(model, parameterStore, memory, Math.min(WARM_UP_TOKENS, maxLength - 1), false);
                    }
                }
                for (int length : lengths) {
                    double cached = tokensPerSecond(model, parameterStore, memory, length, true);
                    double recomputed = recompute
                            ? tokensPerSecond(model, parameterStore, memory, length, false) : Double.NaN;
                    DecoderConfig d = config.decoder();
                    out.printf(Locale.ROOT, "| %s | %s | %d x %d | %d | %.0f | %s | %s |%n",
                            name, config.encoder(), d.layers(), d.width(), length, cached,
                            recompute ? String.format(Locale.ROOT, "%.0f", recomputed) : "-",
                            recompute ? String.format(Locale.ROOT, "%.1fx", cached / recomputed) : "-");
                }
            }
        }
        return 0;
    }

    private void check() {
        List<String> unknown = new ArrayList<>();
        for (String name : models) {
            if (!PRESETS.containsKey(name)) {
                unknown.add(name);
            }
        }
        if (!unknown.isEmpty() || models.isEmpty()) {
            throw new IllegalArgumentException("unknown --models " + unknown + "; valid: default, t, tiny");
        }
        if (batch < 1 || repeats < 1 || lengths.isEmpty() || lengths.stream().anyMatch(n -> n < 1)) {
            throw new IllegalArgumentException("--batch, --repeats and every --lengths value must be at least 1,"
                    + " got batch " + batch + ", repeats " + repeats + ", lengths " + lengths);
        }
    }

    private double tokensPerSecond(
            EncoderDecoderModel model, ParameterStore parameterStore, NDArray memory, int length, boolean cache) {
        double best = Double.MAX_VALUE;
        for (int r = 0; r < repeats; r++) {
            long start = System.nanoTime();
            generate(model, parameterStore, memory, length, cache);
            best = Math.min(best, (System.nanoTime() - start) / 1e9);
        }
        return batch * (double) length / best;
    }

    /** Greedy decoding of exactly {@code length} tokens per sequence: the end token is masked. */
    private void generate(
            EncoderDecoderModel model, ParameterStore parameterStore, NDArray memory, int length, boolean cache) {
        int[][] prompts = new int[batch][];
        for (int b = 0; b < batch; b++) {
            prompts[b] = new int[] {Vocabulary.PROMPT_DETECTION};
        }
        TokenConstraint neverEnd = (generated, allowed) -> allowed[Vocabulary.EOS] = false;
        GenerationOptions options = new GenerationOptions(length, Vocabulary.EOS, new GreedySampler(), neverEnd, cache);
        GenerationResult result = Generator.generateFromMemory(model, parameterStore, memory, prompts, options);
        if (result.sequence(0).length() != length) {
            throw new IllegalStateException("expected " + length + " tokens, generated " + result.sequence(0).length());
        }
    }
}
