package io.seqvision.decoder.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.seqvision.decoder.EncoderDecoderModel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Batched autoregressive generation with an {@link EncoderDecoderModel}.
 *
 * <p>The images are encoded once. Then, step by step, every sequence in the batch gets logits for
 * its next token, its {@link TokenConstraint} masks them, and the {@link Sampler} picks the token.
 * A sequence that picks the end token stops (later steps ignore it); generation ends when all have
 * stopped or after {@code maxNewTokens} steps.
 *
 * <p>Each step recomputes the decoder over the whole prefix; {@link #nextTokenLogits} is the one
 * place a key/value cache would replace. Arrays made during a step live in a sub-manager closed at
 * the end of the step, and everything made by the call is closed before it returns.
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
     * @param options the sampler, constraint, end token and step budget
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
        int vocab = model.decoder().vocabSize();
        int promptLength = checkPrompts(prompts, images, vocab, model.decoder().maxLength(), options);
        BatchState batch = new BatchState(prompts, promptLength, options.maxNewTokens(), vocab);

        try (NDManager callManager = images.getManager().newSubManager()) {
            callManager.tempAttachAll(images);
            NDArray memory = model.encode(parameterStore, images, false);
            for (int step = 0; step < options.maxNewTokens() && batch.anyActive(); step++) {
                try (NDManager stepManager = callManager.newSubManager()) {
                    stepManager.tempAttachAll(memory);
                    float[] logits =
                            nextTokenLogits(model, parameterStore, memory, batch.sequences, batch.length, stepManager);
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

    /**
     * Logits for the token after {@code sequences[b][0..length)}, for every b, as a row-major
     * {@code (B, V)} float array. Recomputes the full prefix.
     */
    private static float[] nextTokenLogits(
            EncoderDecoderModel model,
            ParameterStore parameterStore,
            NDArray memory,
            int[][] sequences,
            int length,
            NDManager stepManager) {
        int batch = sequences.length;
        int[] prefix = new int[batch * length];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(sequences[b], 0, prefix, b * length, length);
        }
        NDArray tokens = stepManager.create(prefix, new Shape(batch, length)).toDevice(memory.getDevice(), false);
        NDArray logits = model.decode(parameterStore, tokens, memory, false);
        return logits.get(new NDIndex(":, {}, :", length - 1)).toType(DataType.FLOAT32, false).toFloatArray();
    }

    private static int checkPrompts(
            int[][] prompts, NDArray images, int vocab, int maxLength, GenerationOptions options) {
        if (prompts == null || prompts.length == 0) {
            throw new IllegalArgumentException("generation needs at least one prompt");
        }
        Shape imageShape = images.getShape();
        if (imageShape.dimension() != 4 || imageShape.get(0) != prompts.length) {
            throw new IllegalArgumentException(
                    "images must have shape (B, 3, H, W) with B = "
                            + prompts.length
                            + " prompts, got "
                            + imageShape);
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
