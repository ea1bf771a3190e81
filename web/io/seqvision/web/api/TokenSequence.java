package io.seqvision.web.api;

import java.util.List;

/**
 * One decoded sequence: prompt then response tokens.
 *
 * @param task the task that prompted it ({@code detection}, ...)
 * @param tokens prompt, generated tokens and, when {@code ended}, the end token
 * @param ended whether the model closed the sequence itself (false: the length budget ran out)
 */
public record TokenSequence(String task, List<TokenView> tokens, boolean ended) {

    public TokenSequence {
        tokens = List.copyOf(tokens);
    }
}
