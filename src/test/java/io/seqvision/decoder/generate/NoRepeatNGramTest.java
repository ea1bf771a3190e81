package io.seqvision.decoder.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NoRepeatNGramTest {

    @Test
    void forbidsExactlyTheTokensWhoseNGramAlreadyOccurred() {
        Random random = new Random(5);
        int forbiddenSeen = 0;
        for (int trial = 0; trial < 2000; trial++) {
            int vocab = 2 + random.nextInt(5);
            int size = 1 + random.nextInt(4);
            int[] generated = random.ints(random.nextInt(16), 0, vocab).toArray();
            float[] logits = new float[vocab];
            for (int v = 0; v < vocab; v++) {
                logits[v] = (float) random.nextGaussian();
            }
            float[] processed = logits.clone();
            new NoRepeatNGram(size).process(generated, processed);
            for (int v = 0; v < vocab; v++) {
                boolean repeats = endsWithRepeatedNGram(append(generated, v), size);
                forbiddenSeen += repeats ? 1 : 0;
                assertEquals(repeats ? Float.NEGATIVE_INFINITY : logits[v], processed[v],
                        "n " + size + ", tokens " + java.util.Arrays.toString(generated) + ", candidate " + v);
            }
        }
        assertTrue(forbiddenSeen > 1000, "the random cases should forbid many tokens: " + forbiddenSeen);
    }

    @Test
    void aWorkedExample() {
        int[] abcab = {0, 1, 2, 0, 1};
        assertArrayEquals(new float[] {1, 1, Float.NEGATIVE_INFINITY, 1}, processed(3, abcab, 4),
                "'a b' was followed by 'c' before");
        assertArrayEquals(new float[] {1, 1, Float.NEGATIVE_INFINITY, 1}, processed(2, abcab, 4),
                "'b' was followed by 'c' before");
        assertArrayEquals(new float[] {Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY, 1},
                processed(1, abcab, 4), "n = 1 forbids every token already generated");
        assertArrayEquals(new float[] {1, 1, 1, 1}, processed(6, abcab, 4), "no 6-gram fits in 6 tokens twice");
        assertArrayEquals(new float[] {1, 1, 1, 1}, processed(2, new int[0], 4), "nothing generated yet");
    }

    @Test
    void rejectsSizesBelowOne() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new NoRepeatNGram(0));
        assertTrue(e.getMessage().contains("at least 1, got 0"), e.getMessage());
    }

    private static float[] processed(int size, int[] generated, int vocab) {
        float[] logits = new float[vocab];
        java.util.Arrays.fill(logits, 1f);
        new NoRepeatNGram(size).process(generated, logits);
        return logits;
    }

    /** Whether the last n tokens of {@code tokens} occur as n consecutive tokens earlier in it. */
    private static boolean endsWithRepeatedNGram(int[] tokens, int n) {
        if (tokens.length < n) {
            return false;
        }
        List<Integer> all = new ArrayList<>();
        for (int token : tokens) {
            all.add(token);
        }
        List<Integer> last = all.subList(all.size() - n, all.size());
        List<Integer> earlier = all.subList(0, all.size() - 1);
        return Collections.indexOfSubList(earlier, last) >= 0;
    }

    private static int[] append(int[] tokens, int token) {
        int[] longer = java.util.Arrays.copyOf(tokens, tokens.length + 1);
        longer[tokens.length] = token;
        return longer;
    }
}
