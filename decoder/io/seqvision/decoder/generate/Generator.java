package io.seqvision.decoder.generate;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.seqvision.decoder.EncoderDecoderModel;
import io.seqvision.decoder.KeyValueCache;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Batched autoregressive generation with an {@link EncoderDecoderModel}.
 *
 * <p>The images are encoded once. Then, step by step, every unfinished sequence in the batch gets
 * logits for its next token, its {@link TokenConstraint} masks them, and the {@link Sampler} picks
 * the token. A sequence that picks the end token stops; generation ends when all have stopped or
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
 * uses its own sampler, parameter store and image arrays (the model's parameters are only read).
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
            return run(model, parameterStore, memory, prompts, promptLength, options);
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
        int promptLength = checkPrompts(prompts, memory.getShape(), "memory", "(B, N, D)", 3, model, options);
        return run(model, parameterStore, memory, prompts, promptLength, options);
    }

    private static GenerationResult run(
            EncoderDecoderModel model,
            ParameterStore parameterStore,
            NDArray memory,
            int[][] prompts,
            int promptLength,
            GenerationOptions options) {
        int vocab = model.decoder().vocabSize();
        BatchState batch = new BatchState(prompts, promptLength, options.maxNewTokens(), vocab);
        try (NDManager callManager = memory.getManager().newSubManager();
                NextTokenLogits source = options.keyValueCache()
                        ? new CachedLogits(model, parameterStore, memory, callManager)
                        : new RecomputedLogits(model, parameterStore, memory)) {
            for (int step = 0; step < options.maxNewTokens() && batch.anyActive(); step++) {
                try (NDManager stepManager = callManager.newSubManager()) {
                    int[] active = batch.activeRows();
                    float[] activeLogits = source.next(batch.sequences, batch.length, active, stepManager);
                    float[] logits = batch.spreadOverBatch(active, activeLogits, options.endToken());
                    batch.maskDisallowed(logits, options.constraint());
                    NDArray masked = stepManager.create(logits, new Shape(prompts.length, vocab));
                    int[] chosen = options.sampler().sample(masked);
                    batch.checkChoices(chosen, logits, options.sampler());
                    batch.append(chosen, logits, options.endToken());
                }
            }
        }
        return batch.result();
    }

    /** Where the next-token logits come from: the one place the cached and recomputed paths differ. */
    private interface NextTokenLogits extends AutoCloseable {

        /**
         * Logits for the token after {@code sequences[b][0..length)} for each b in {@code rows}, as
         * a row-major {@code (rows.length, V)} array. {@code rows} only ever loses entries.
         */
        float[] next(int[][] sequences, int length, int[] rows, NDManager stepManager);

        @Override
        void close();
    }

    /** Incremental decoding: each call feeds only the tokens the cache has not seen. */
    private static final class CachedLogits implements NextTokenLogits {
        private final EncoderDecoderModel model;
        private final ParameterStore parameterStore;
        private final Device device;
        private final KeyValueCache cache;
        private int[] cachedRows;

        CachedLogits(EncoderDecoderModel model, ParameterStore parameterStore, NDArray memory, NDManager manager) {
            this.model = model;
            this.parameterStore = parameterStore;
            this.device = memory.getDevice();
            this.cache = model.newCache(parameterStore, memory, manager);
            this.cachedRows = IntStream.range(0, (int) memory.getShape().get(0)).toArray();
        }

        @Override
        public float[] next(int[][] sequences, int length, int[] rows, NDManager stepManager) {
            if (!Arrays.equals(rows, cachedRows)) {
                cache.retainRows(positionsIn(cachedRows, rows));
                cachedRows = rows;
            }
            int seen = cache.length();
            int fresh = length - seen;
            int[] tokens = new int[rows.length * fresh];
            for (int r = 0; r < rows.length; r++) {
                System.arraycopy(sequences[rows[r]], seen, tokens, r * fresh, fresh);
            }
            NDArray input = stepManager.create(tokens, new Shape(rows.length, fresh)).toDevice(device, false);
            return lastPosition(model.decodeStep(parameterStore, input, cache));
        }

        /** Where each of {@code rows} sits in {@code cached}; rows is an ordered subset of cached. */
        private static int[] positionsIn(int[] cached, int[] rows) {
            int[] positions = new int[rows.length];
            int c = 0;
            for (int r = 0; r < rows.length; r++) {
                while (cached[c] != rows[r]) {
                    c++;
                }
                positions[r] = c;
            }
            return positions;
        }

        @Override
        public void close() {
            cache.close();
        }
    }

    /** The reference path: the decoder over the whole prefix at every step. */
    private static final class RecomputedLogits implements NextTokenLogits {
        private final EncoderDecoderModel model;
        private final ParameterStore parameterStore;
        private final NDArray memory;

        RecomputedLogits(EncoderDecoderModel model, ParameterStore parameterStore, NDArray memory) {
            this.model = model;
            this.parameterStore = parameterStore;
            this.memory = memory;
        }

        @Override
        public float[] next(int[][] sequences, int length, int[] rows, NDManager stepManager) {
            // Arrays derived from the memory must land in the step's manager, not the memory's.
            stepManager.tempAttachAll(memory);
            NDArray rowsMemory = memory;
            if (rows.length != memory.getShape().get(0)) {
                NDArray index = stepManager.create(rows).toType(DataType.INT64, false).toDevice(memory.getDevice(), false);
                rowsMemory = memory.get(new NDIndex("{}", index));
            }
            int[] prefix = new int[rows.length * length];
            for (int r = 0; r < rows.length; r++) {
                System.arraycopy(sequences[rows[r]], 0, prefix, r * length, length);
            }
            NDArray tokens = stepManager.create(prefix, new Shape(rows.length, length)).toDevice(memory.getDevice(), false);
            return lastPosition(model.decode(parameterStore, tokens, rowsMemory, false));
        }

        @Override
        public void close() {}
    }

    /** The logits of the last position, {@code (B, L, V) -> (B, V)} as a row-major float array. */
    private static float[] lastPosition(NDArray logits) {
        return logits.get(new NDIndex(":, -1, :")).toType(DataType.FLOAT32, false).toFloatArray();
    }

    private static int checkPrompts(
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

    /** The token ids, probabilities and stop flags of the sequences being generated. */
    private static final class BatchState {
        final int[][] sequences;
        final int promptLength;
        final int vocab;
        final int[] generatedCount;
        final float[][] probabilities;
        final boolean[] ended;
        /** Tokens per sequence so far, prompt included: the decoder's input length. */
        int length;
        int active;

        BatchState(int[][] prompts, int promptLength, int maxNewTokens, int vocab) {
            int batch = prompts.length;
            this.promptLength = promptLength;
            this.vocab = vocab;
            sequences = new int[batch][promptLength + maxNewTokens];
            for (int b = 0; b < batch; b++) {
                System.arraycopy(prompts[b], 0, sequences[b], 0, promptLength);
            }
            generatedCount = new int[batch];
            probabilities = new float[batch][maxNewTokens];
            ended = new boolean[batch];
            length = promptLength;
            active = batch;
        }

        boolean anyActive() {
            return active > 0;
        }

        /** Indices of the sequences that have not ended, in increasing order. */
        int[] activeRows() {
            int[] rows = new int[active];
            int r = 0;
            for (int b = 0; b < ended.length; b++) {
                if (!ended[b]) {
                    rows[r++] = b;
                }
            }
            return rows;
        }

        /**
         * The {@code (B, V)} logits the sampler sees: active rows from {@code activeLogits}, the
         * rows of ended sequences allowing only the end token.
         */
        float[] spreadOverBatch(int[] rows, float[] activeLogits, int endToken) {
            float[] logits = new float[ended.length * vocab];
            Arrays.fill(logits, Float.NEGATIVE_INFINITY);
            for (int b = 0; b < ended.length; b++) {
                logits[b * vocab + endToken] = 0f;
            }
            for (int r = 0; r < rows.length; r++) {
                System.arraycopy(activeLogits, r * vocab, logits, rows[r] * vocab, vocab);
            }
            return logits;
        }

        int[] generatedSoFar(int b) {
            return Arrays.copyOfRange(sequences[b], promptLength, promptLength + generatedCount[b]);
        }

        /** Sets the logits of tokens the constraint forbids to -infinity, for active sequences. */
        void maskDisallowed(float[] logits, TokenConstraint constraint) {
            boolean[] allowed = new boolean[vocab];
            for (int b = 0; b < sequences.length; b++) {
                if (ended[b]) {
                    continue;
                }
                Arrays.fill(allowed, true);
                int[] generatedSoFar = generatedSoFar(b);
                constraint.allowedNext(generatedSoFar, allowed);
                boolean any = false;
                for (int v = 0; v < vocab; v++) {
                    if (allowed[v]) {
                        any = true;
                    } else {
                        logits[b * vocab + v] = Float.NEGATIVE_INFINITY;
                    }
                }
                if (!any) {
                    throw new IllegalStateException(
                            "token constraint "
                                    + constraint
                                    + " allows no token for sequence "
                                    + b
                                    + " after generating "
                                    + Arrays.toString(generatedSoFar));
                }
            }
        }

        void checkChoices(int[] chosen, float[] maskedLogits, Sampler sampler) {
            if (chosen.length != sequences.length) {
                throw new IllegalStateException(
                        "sampler " + sampler + " returned " + chosen.length + " tokens for "
                                + sequences.length + " sequences");
            }
            for (int b = 0; b < chosen.length; b++) {
                if (ended[b]) {
                    continue;
                }
                int token = chosen[b];
                if (token < 0 || token >= vocab) {
                    throw new IllegalStateException(
                            "sampler " + sampler + " chose token " + token
                                    + " outside the vocabulary [0, " + vocab + ")");
                }
                if (maskedLogits[b * vocab + token] == Float.NEGATIVE_INFINITY) {
                    throw new IllegalStateException(
                            "sampler " + sampler + " chose token " + token + " for sequence " + b
                                    + ", which the constraint forbids or the model gives probability 0");
                }
            }
        }

        /**
         * Appends each active sequence's choice; the end token stops a sequence. Stopped sequences
         * are padded with the end token so the batch keeps one length.
         */
        void append(int[] chosen, float[] maskedLogits, int endToken) {
            for (int b = 0; b < sequences.length; b++) {
                if (ended[b]) {
                    sequences[b][length] = endToken;
                    continue;
                }
                int token = chosen[b];
                sequences[b][length] = token;
                if (token == endToken) {
                    ended[b] = true;
                    active--;
                } else {
                    float[] row = Arrays.copyOfRange(maskedLogits, b * vocab, (b + 1) * vocab);
                    probabilities[b][generatedCount[b]] = SamplingMath.probability(row, token);
                    generatedCount[b]++;
                }
            }
            length++;
        }

        GenerationResult result() {
            List<GeneratedSequence> results = new ArrayList<>(sequences.length);
            for (int b = 0; b < sequences.length; b++) {
                results.add(
                        new GeneratedSequence(
                                generatedSoFar(b),
                                Arrays.copyOf(probabilities[b], generatedCount[b]),
                                ended[b]));
            }
            return new GenerationResult(results);
        }
    }
}
