package io.seqvision.decoder.generate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The token ids, probabilities and stop flags of the sequences being generated. */
final class GenerationBatch {
    final int[][] sequences;
    final int promptLength;
    final int vocab;
    final int[] generatedCount;
    final float[][] probabilities;
    final boolean[] ended;
    /** Tokens per sequence so far, prompt included: the decoder's input length. */
    int length;
    int active;

    GenerationBatch(int[][] prompts, int promptLength, int maxNewTokens, int vocab) {
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

    /**
     * Lets {@code processor} change the logits of each active sequence from its history; a row left
     * with no finite logit is an error naming the processor.
     */
    void process(float[] logits, LogitsProcessor processor) {
        if (processor == LogitsProcessor.NONE) {
            return;
        }
        float[] row = new float[vocab];
        for (int b = 0; b < sequences.length; b++) {
            if (ended[b]) {
                continue;
            }
            System.arraycopy(logits, b * vocab, row, 0, vocab);
            int[] generatedSoFar = generatedSoFar(b);
            processor.process(generatedSoFar, row);
            boolean any = false;
            for (float value : row) {
                if (value != Float.NEGATIVE_INFINITY) {
                    any = true;
                    break;
                }
            }
            if (!any) {
                throw new IllegalStateException("logits processor " + processor + " allows no token for sequence "
                        + b + " after generating " + Arrays.toString(generatedSoFar));
            }
            System.arraycopy(row, 0, logits, b * vocab, vocab);
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
