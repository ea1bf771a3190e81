package io.seqvision.tasks.config;

/** The transformer decoder's size. */
public record DecoderConfig(int width, int layers, int heads, int mlpDim, double dropout) {}
