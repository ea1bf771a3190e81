package io.seqvision.web.api;

import java.util.List;

/** The caption of the whole image and the tokens that spelled it. */
public record Caption(String text, List<TokenSpan> tokenSpans) {

    public Caption {
        tokenSpans = List.copyOf(tokenSpans);
    }
}
