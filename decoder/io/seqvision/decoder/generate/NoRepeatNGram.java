package io.seqvision.decoder.generate;

/**
 * No-repeat n-gram blocking: forbids any token that would complete an n-gram (n consecutive
 * tokens) the sequence has already generated, so no n-gram occurs twice. With n = 1 no token
 * repeats at all. The prompt does not count; a token never generated is never forbidden, so the
 * end token always stays allowed. As Hugging Face's {@code NoRepeatNGramLogitsProcessor} and
 * fairseq's {@code --no-repeat-ngram-size}. Stateless.
 */
public final class NoRepeatNGram implements LogitsProcessor {

    private final int size;

    /**
     * @param size n, the length of the n-grams that may not repeat; at least 1
     * @throws IllegalArgumentException if {@code size} is below 1
     */
    public NoRepeatNGram(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("the no-repeat n-gram size must be at least 1, got " + size);
        }
        this.size = size;
    }

    /** n. */
    public int size() {
        return size;
    }

    @Override
    public void process(int[] generatedSoFar, float[] logits) {
        int length = generatedSoFar.length;
        int prefix = size - 1;
        if (length < prefix) {
            return;
        }
        // every earlier n-gram whose first n-1 tokens equal the sequence's last n-1 forbids its last token
        for (int start = 0; start + prefix < length; start++) {
            if (matchesTail(generatedSoFar, start, prefix)) {
                logits[generatedSoFar[start + prefix]] = Float.NEGATIVE_INFINITY;
            }
        }
    }

    private static boolean matchesTail(int[] tokens, int start, int count) {
        int tail = tokens.length - count;
        for (int k = 0; k < count; k++) {
            if (tokens[start + k] != tokens[tail + k]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "NoRepeatNGram(" + size + ")";
    }
}
