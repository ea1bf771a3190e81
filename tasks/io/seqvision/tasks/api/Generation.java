package io.seqvision.tasks.api;

import java.util.Arrays;

/**
 * The raw output of one generation: the tokens the model produced after the prompt.
 *
 * @param tokens generated token ids, without the prompt and without the end token
 * @param probabilities per token, its probability under the (constraint-masked) softmax at
 *     temperature 1, whatever the sampler
 * @param ended whether the model produced the end token (false: the length budget ran out)
 */
public record Generation(int[] tokens, float[] probabilities, boolean ended) {

    public Generation {
        if (tokens.length != probabilities.length) {
            throw new IllegalArgumentException(tokens.length + " tokens but " + probabilities.length + " probabilities");
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
        return other instanceof Generation that
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
        return "Generation[tokens=" + Arrays.toString(tokens) + ", probabilities=" + Arrays.toString(probabilities)
                + ", ended=" + ended + "]";
    }
}
