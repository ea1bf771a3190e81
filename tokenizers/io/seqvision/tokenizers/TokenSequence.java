package io.seqvision.tokenizers;

import java.util.Arrays;

/**
 * A token sequence with one loss weight per token: the weight of predicting {@code tokens[i]}
 * from the tokens before it.
 */
public record TokenSequence(int[] tokens, float[] weights) {

    public TokenSequence {
        if (tokens.length != weights.length) {
            throw new IllegalArgumentException(
                    "tokens (" + tokens.length + ") and weights (" + weights.length + ") differ in length");
        }
    }

    public int length() {
        return tokens.length;
    }

    /**
     * This sequence after a task prompt. Prompt tokens weigh 0: they are given, never predicted.
     */
    public TokenSequence withPrompt(int[] prompt) {
        int[] joined = new int[prompt.length + tokens.length];
        float[] joinedWeights = new float[joined.length];
        System.arraycopy(prompt, 0, joined, 0, prompt.length);
        System.arraycopy(tokens, 0, joined, prompt.length, tokens.length);
        System.arraycopy(weights, 0, joinedWeights, prompt.length, weights.length);
        return new TokenSequence(joined, joinedWeights);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TokenSequence s
                && Arrays.equals(tokens, s.tokens)
                && Arrays.equals(weights, s.weights);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(tokens) + Arrays.hashCode(weights);
    }

    @Override
    public String toString() {
        return "TokenSequence" + Arrays.toString(tokens);
    }
}
