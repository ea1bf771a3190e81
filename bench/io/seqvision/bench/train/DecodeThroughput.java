package io.seqvision.bench.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.seqvision.decoder.EncoderDecoderModel;
import io.seqvision.decoder.KeyValueCache;
import io.seqvision.decoder.generate.GenerationOptions;
import io.seqvision.decoder.generate.GenerationResult;
import io.seqvision.decoder.generate.GenerationStats;
import io.seqvision.decoder.generate.Generator;
import io.seqvision.decoder.generate.GreedySampler;
import io.seqvision.decoder.generate.TokenConstraint;
import io.seqvision.tokenizers.Vocabulary;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Greedy decoding speed with the key/value cache, two ways, over a memory encoded once:
 *
 * <ul>
 *   <li>{@code generator}: the library's {@link Generator} (what {@code SeqVisionModel} runs): each
 *       token's logits go to the host, where constraints and the sampler pick the next token, and
 *       the tokens go back to the device (one device-to-host read per token);
 *   <li>{@code device}: the same cached decoder steps with the argmax taken on the device and fed
 *       straight back, the tokens read once at the end, as a PyTorch eager loop does.
 * </ul>
 *
 * Both produce exactly {@code length} tokens per sequence (the generator masks the end token).
 */
final class DecodeThroughput {

    private DecodeThroughput() {}

    /** Tokens per second of the faster of {@code repeats} runs, counting every row. */
    static double generator(EncoderDecoderModel model, ParameterStore store, NDArray memory, int length, int repeats) {
        double best = Double.MAX_VALUE;
        for (int r = 0; r < repeats; r++) {
            long start = System.nanoTime();
            runGenerator(model, store, memory, length, new GenerationStats());
            best = Math.min(best, (System.nanoTime() - start) / 1e9);
        }
        return memory.getShape().get(0) * (double) length / best;
    }

    /**
     * One more generator run, untimed as a whole, broken down per step (one token for every
     * sequence): arrays created (about one per DJL op: every op result, view and scalar is a new
     * array), host reads, uploads, and milliseconds in the decoder's DJL calls against host work.
     */
    static Map<String, Object> generatorBreakdown(EncoderDecoderModel model, ParameterStore store, NDArray memory,
            int length) {
        GenerationStats stats = new GenerationStats();
        long arrays;
        try (CountingScope scope = CountingScope.open()) {
            runGenerator(model, store, memory, length, stats);
            arrays = scope.created();
        }
        double steps = stats.steps();
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("arrays_per_step", arrays < 0 ? null : arrays / steps);
        row.put("host_reads_per_step", stats.hostReads() / steps);
        row.put("uploads_per_step", stats.uploads() / steps);
        row.put("decoder_ms_per_step", stats.decoderNanos() / 1e6 / steps);
        row.put("host_ms_per_step", stats.hostNanos() / 1e6 / steps);
        return row;
    }

    /** Arrays created per step by the device loop: the decoder's own ops, the floor for the generator. */
    static Map<String, Object> deviceLoopBreakdown(EncoderDecoderModel model, ParameterStore store, NDArray memory,
            int length) {
        long arrays;
        try (CountingScope scope = CountingScope.open()) {
            runDeviceLoop(model, store, memory, length);
            arrays = scope.created();
        }
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("arrays_per_step", arrays < 0 ? null : arrays / (double) length);
        row.put("host_reads_per_step", 1.0 / length);
        row.put("uploads_per_step", 0.0);
        return row;
    }

    private static void runGenerator(EncoderDecoderModel model, ParameterStore store, NDArray memory, int length,
            GenerationStats stats) {
        int rows = (int) memory.getShape().get(0);
        int[][] prompts = new int[rows][];
        for (int b = 0; b < rows; b++) {
            prompts[b] = new int[] {Vocabulary.PROMPT_DETECTION};
        }
        TokenConstraint neverEnd = (generated, allowed) -> allowed[Vocabulary.EOS] = false;
        GenerationOptions options = new GenerationOptions(length, Vocabulary.EOS, new GreedySampler(), neverEnd, true);
        GenerationResult result = Generator.generateFromMemory(model, store, memory, prompts, options, stats);
        if (result.sequence(0).length() != length) {
            throw new IllegalStateException("expected " + length + " tokens, generated " + result.sequence(0).length());
        }
    }

    /** Tokens per second of the faster of {@code repeats} device-side greedy loops. */
    static double deviceLoop(EncoderDecoderModel model, ParameterStore store, NDArray memory, int length, int repeats) {
        int rows = (int) memory.getShape().get(0);
        double best = Double.MAX_VALUE;
        for (int r = 0; r < repeats; r++) {
            long start = System.nanoTime();
            long[] tokens = runDeviceLoop(model, store, memory, length);
            best = Math.min(best, (System.nanoTime() - start) / 1e9);
            if (tokens.length != (long) rows * length) {
                throw new IllegalStateException("expected " + rows * length + " tokens, got " + tokens.length);
            }
        }
        return rows * (double) length / best;
    }

    private static long[] runDeviceLoop(EncoderDecoderModel model, ParameterStore store, NDArray memory, int length) {
        long rows = memory.getShape().get(0);
        try (NDManager call = memory.getManager().newSubManager();
                KeyValueCache cache = model.newCache(store, memory, call)) {
            NDArray tokens = call.full(new Shape(rows, 1), Vocabulary.PROMPT_DETECTION, DataType.INT64);
            NDList generated = new NDList(length);
            for (int t = 0; t < length; t++) {
                try (NDManager step = call.newSubManager()) {
                    step.tempAttachAll(tokens);
                    NDArray logits = model.decodeStep(store, tokens, cache);
                    NDArray next = logits.argMax(-1);
                    next.attach(call);
                    generated.add(next);
                    tokens = next;
                }
            }
            return NDArrays.concat(generated, 1).toLongArray();
        }
    }
}
