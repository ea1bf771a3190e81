package io.seqvision.web.api;

import io.seqvision.tasks.DecodingOptions;

/** The decoding used, as the API reports it and accepts it as query parameters. */
public record DecodingView(String sampler, double temperature, int topK, double topP, long seed) {

    public static DecodingView of(DecodingOptions options) {
        return new DecodingView(options.sampler(), options.temperature(), options.topK(), options.topP(), options.seed());
    }
}
