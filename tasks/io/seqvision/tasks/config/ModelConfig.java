package io.seqvision.tasks.config;

/**
 * The network.
 *
 * @param encoder   a name from the encoder registry
 * @param imageSize images are resized to this square side (a multiple of the encoder's stride)
 */
public record ModelConfig(String encoder, int imageSize, DecoderConfig decoder) {}
