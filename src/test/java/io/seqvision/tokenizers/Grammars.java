package io.seqvision.tokenizers;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

/** Checks a response against a tokenizer's grammar, token by token. */
final class Grammars {

    /** A grammar as the tokenizers expose it: {@code allowedNext(generatedSoFar, allowed)}. */
    interface Grammar {
        void allowedNext(int[] generated, boolean[] allowed);
    }

    private Grammars() {}

    static void assertAccepted(int[] response, Grammar grammar, int vocabularySize) {
        boolean[] allowed = new boolean[vocabularySize];
        for (int i = 0; i < response.length; i++) {
            int[] prefix = Arrays.copyOf(response, i);
            Arrays.fill(allowed, true);
            grammar.allowedNext(prefix, allowed);
            assertTrue(allowed[response[i]], "token " + response[i] + " at position " + i
                    + " refused by the grammar in " + Arrays.toString(response));
        }
    }

    /** Whether the grammar allows {@code token} after {@code prefix}. */
    static boolean allows(Grammar grammar, int vocabularySize, int[] prefix, int token) {
        boolean[] allowed = new boolean[vocabularySize];
        Arrays.fill(allowed, true);
        grammar.allowedNext(prefix, allowed);
        return allowed[token];
    }
}
