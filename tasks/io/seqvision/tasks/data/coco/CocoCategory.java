package io.seqvision.tasks.data.coco;

/** One entry of a COCO file's {@code categories} array. */
public record CocoCategory(int id, String name) {}
