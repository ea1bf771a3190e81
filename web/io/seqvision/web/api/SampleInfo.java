package io.seqvision.web.api;

/** A built-in sample image, served at {@code url}. */
public record SampleInfo(String name, String url, int width, int height) {}
