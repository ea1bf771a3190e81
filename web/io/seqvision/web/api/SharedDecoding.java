package io.seqvision.web.api;

/**
 * What the decoding steps shared by concurrent requests have done since the server started (part
 * of {@code GET /api/health}): how full the steps were is what batching buys.
 *
 * @param maxRows the most sequences one step serves ({@code --batch-rows})
 * @param steps shared steps run
 * @param meanRows sequences a step served, on average
 * @param decoderMsPerStep mean time of a step in the decoder (the network and reading its logits)
 * @param choiceMsPerStep mean time of a step spent choosing each sequence's token (constraints, samplers) and
 *     letting finished sequences go
 */
public record SharedDecoding(int maxRows, long steps, double meanRows, double decoderMsPerStep,
        double choiceMsPerStep) {}
