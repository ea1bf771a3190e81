package io.seqvision.tasks.config;

/** How to generate the synthetic shapes data when it is missing. */
public record ShapesDataConfig(long seed, int trainImages, int valImages) {}
