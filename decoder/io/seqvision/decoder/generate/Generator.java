package io.seqvision.decoder.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.seqvision.decoder.EncoderDecoderModel;
import io.seqvision.decoder.KeyValueCache;

/**
 * Batched autoregressive generation with an {@link EncoderDecoderModel}.
 *
 * <p>The images are encoded once. Then, step by step, every unfinished sequence in the batch gets
 * logits for its next token, its {@link TokenConstraint} masks them, its {@link LogitsProcessor}
 * (if any) adjusts them from the tokens generated so far, and the {@link Sampler} picks the token. A sequence that picks the end token stops; generation ends when all have stopped or
 * after {@code maxNewTokens} steps.
 *
 * <p>Logits come from incremental decoding with a {@link KeyValueCache} (the prompt in one step,
 * then one token per step), or, when {@link GenerationOptions#keyValueCache()} is off, from the
 * decoder recomputed over the whole prefix; both give the same logits to float rounding. Finished
 * sequences are dropped from the decoder's batch, so they cost nothing; the sampler still sees one
 * row per sequence, and rows of finished sequences allow only the end token (their choice is
 * ignored), so its random draws do not depend on the decoding path.
 *
 * <p>Memory: arrays made during a step live in a sub-manager closed at the end of the step; the
 * cache lives in a manager closed when the call ends; nothing the call makes outlives it.
 *
 * <p>Thread safety: the generator keeps no state; concurrent calls on one model are safe when each
 * uses its own sampler, parameter store and image (or memory) arrays (the model's parameters are only read).
 */
public final class Generator {

    private Generator() {}

    /**
     * Generates a continuation of each prompt.
     *
     * @param model an initialised model
     * @param parameterStore the parameter store to read the model's parameters from
     * @param images {@code (B, 3, H, W)} float, one image per prompt
     * @param prompts {@code B} prompts of token ids, all of the same length (at least one token)
     * @param options the sampler, constraint, end token, step budget and decoding path
     * @return per prompt, the generated tokens (without prompt and end token), their
     *     probabilities, and whether the end token was produced
     * @throws IllegalArgumentException if prompts and images disagree in number, prompts differ in
     *     length, hold ids outside the vocabulary, or would not fit the decoder's maximum length
     */
    public static GenerationResult generate(
            EncoderDecoderModel model,
            ParameterStore parameterStore,
            NDArray images,
            int[][] prompts,
            GenerationOptions options) {
        int promptLength = checkPrompts(prompts, images.getShape(), "images", "(B, 3, H, W)", 4, model, options);
        try (NDManager callManager = images.getManager().newSubManager()) {
            callManager.tempAttachAll(images);
            NDArray memory = model.encode(parameterStore, images, false);
            return run(model, parameterStore, memory, prompts, promptLength, options, new GenerationStats());
        }
    }

    /**
     * Generates a continuation of each prompt from an already encoded memory, so that one image's
     * encoding can serve several prompts (and so that decoding can be timed alone).
     *
     * @param memory {@code (B, N, D)} from {@link EncoderDecoderModel#encode}, one row per prompt
     * @see #generate
     */
    public static GenerationResult generateFromMemory(
            EncoderDecoderModel model,
            ParameterStore parameterStore,
            NDArray memory,
            int[][] prompts,
            GenerationOptions options) {
        return generateFromMemory(model, parameterStore, memory, prompts, options, new GenerationStats());
    }

    /**
     * {@link #generateFromMemory(EncoderDecoderModel, ParameterStore, NDArray, int[][], GenerationOptions)}
     * that also adds where its time went to {@code stats} (for benchmarks and profiling).
     */
    public static GenerationResult generateFromMemory(
            EncoderDecoderModel model,
            ParameterStore parameterStore,
            NDArray memory,
            int[][] prompts,
            GenerationOptions options,
            GenerationStats stats) {
        int promptLength = checkPrompts(prompts, memory.getShape(), "memory", "(B, N, D)", 3, model, options);
        return run(model, parameterStore, memory, prompts, promptLength, options, stats);
    }

    private static GenerationResult run(
            EncoderDecoderModel model,
            ParameterStore parameterStore,
            NDArray memory,
            int[][] prompts,
            int promptLength,
            GenerationOptions options,
            GenerationStats stats) {
        int vocab = model.decoder().vocabSize();
        GenerationBatch batch = new GenerationBatch(prompts, promptLength, options.maxNewTokens(), vocab);
        boolean samplesOnHost = !overridesArraySample(options.sampler());
        try (NDManager callManager = memory.getManager().newSubManager();
                NextTokenLogits source = options.keyValueCache()
                        ? new NextTokenLogits.Cached(model, parameterStore, memory, callManager)
                        : new NextTokenLogits.Recomputed(model, parameterStore, memory)) {
            for (int step = 0; step < options.maxNewTokens() && batch.anyActive(); step++) {
                try (NDManager stepManager = callManager.newSubManager()) {
                    long start = System.nanoTime();
                    int[] active = batch.activeRows();
                    float[] activeLogits = source.next(batch.sequences, batch.length, active, stepManager, stats);
                    long decoded = System.nanoTime();
                    float[] logits = batch.spreadOverBatch(active, activeLogits, options.endToken());
                    batch.maskDisallowed(logits, options.constraint());
                    batch.process(logits, options.logitsProcessor());
                    int[] chosen;
                    if (samplesOnHost) {
                        chosen = options.sampler().sample(logits, prompts.length, vocab);
                    } else {
                        chosen = options.sampler().sample(stepManager.create(logits, new Shape(prompts.length, vocab)));
                        stats.uploads++;
                    }
                    batch.checkChoices(chosen, logits, options.sampler());
                    batch.append(chosen, logits, options.endToken());
                    stats.steps++;
                    stats.decoderNanos += decoded - start;
                    stats.hostNanos += System.nanoTime() - decoded;
                }
            }
        }
        return batch.result();
    }

    /**
     * Whether {@code sampler} replaces {@link Sampler#sample(NDArray)} (a sampler that works on the
     * device, or on the whole batch): then it gets the logits as an array; otherwise as the host
     * array they already are.
     */
    static boolean overridesArraySample(Sampler sampler) {
        try {
            return sampler.getClass().getMethod("sample", NDArray.class).getDeclaringClass() != Sampler.class;
        } catch (NoSuchMethodException e) {
            throw new AssertionError("Sampler declares sample(NDArray)", e);
        }
    }

    static int checkPrompts(
            int[][] prompts, Shape batchShape, String batchName, String expectedShape,
            int expectedRank, EncoderDecoderModel model, GenerationOptions options) {
        int vocab = model.decoder().vocabSize();
        int maxLength = model.decoder().maxLength();
        if (prompts == null || prompts.length == 0) {
            throw new IllegalArgumentException("generation needs at least one prompt");
        }
        if (batchShape.dimension() != expectedRank || batchShape.get(0) != prompts.length) {
            throw new IllegalArgumentException(
                    batchName
                            + " must have shape "
                            + expectedShape
                            + " with B = "
                            + prompts.length
                            + " prompts, got "
                            + batchShape);
        }
        if (options.endToken() >= vocab) {
            throw new IllegalArgumentException(
                    "end token " + options.endToken() + " is outside the vocabulary [0, " + vocab + ")");
        }
        int promptLength = -1;
        for (int b = 0; b < prompts.length; b++) {
            int[] prompt = prompts[b];
            if (prompt == null || prompt.length == 0) {
                throw new IllegalArgumentException("prompt " + b + " is empty; every prompt needs at least one token");
            }
            if (promptLength < 0) {
                promptLength = prompt.length;
            } else if (prompt.length != promptLength) {
                throw new IllegalArgumentException(
                        "prompts in one batch must have equal length: prompt 0 has "
                                + promptLength
                                + " tokens, prompt "
                                + b
                                + " has "
                                + prompt.length);
            }
            for (int i = 0; i < prompt.length; i++) {
                if (prompt[i] < 0 || prompt[i] >= vocab) {
                    throw new IllegalArgumentException(
                            "prompt " + b + " token " + i + " is " + prompt[i]
                                    + ", outside the vocabulary [0, " + vocab + ")");
                }
            }
        }
        // The last generated token is never fed back, so the decoder sees at most P + N - 1 tokens.
        int longestInput = promptLength + options.maxNewTokens() - 1;
        if (longestInput > maxLength) {
            throw new IllegalArgumentException(
                    "prompt length "
                            + promptLength
                            + " plus maxNewTokens "
                            + options.maxNewTokens()
                            + " needs "
                            + longestInput
                            + " decoder positions, more than the decoder's maximum length "
                            + maxLength);
        }
        return promptLength;
    }
}
