package io.seqvision.tasks.config;

/** One COCO-format split: the instances JSON and the folder its file names are relative to. */
public record SplitConfig(String annotations, String images) {}
