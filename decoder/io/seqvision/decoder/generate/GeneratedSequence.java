package io.seqvision.decoder.generate;

import java.util.Arrays;

/**
 * One generated sequence.
 *
 * @param tokens the generated token ids, without the prompt and without the end token
 * @param probabilities per token in {@code tokens}, its probability under the constraint-masked
 *     softmax of the logits at temperature 1 (whatever the sampler's temperature)
 * @param ended whether the sequence ended with the end token (false: it hit maxNewTokens)
 */
public record GeneratedSequence(int[] tokens, float[] probabilities, boolean ended) {

    public GeneratedSequence {
        if (tokens.length != probabilities.length) {
            throw new IllegalArgumentException(
                    tokens.length + " tokens but " + probabilities.length + " probabilities");
        }
        tokens = tokens.clone();
        probabilities = probabilities.clone();
    }

    /** A copy of the generated token ids. */
    @Override
    public int[] tokens() {
        return tokens.clone();
    }

    /** A copy of the per-token probabilities. */
    @Override
    public float[] probabilities() {
        return probabilities.clone();
    }

    public int length() {
        return tokens.length;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof GeneratedSequence that
                && ended == that.ended
                && Arrays.equals(tokens, that.tokens)
                && Arrays.equals(probabilities, that.probabilities);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(tokens) + Arrays.hashCode(probabilities)) + Boolean.hashCode(ended);
    }

    @Override
    public String toString() {
        return "GeneratedSequence[tokens="
                + Arrays.toString(tokens)
                + ", probabilities="
                + Arrays.toString(probabilities)
                + ", ended="
                + ended
                + "]";
    }
}
