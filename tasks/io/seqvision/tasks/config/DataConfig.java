package io.seqvision.tasks.config;

/**
 * Where the data lives. Paths are relative to the working directory.
 *
 * @param train    the training split in COCO format
 * @param val      the held-out split in COCO format
 * @param generate when set and the training annotations are missing, the shapes data is generated
 *     into {@code root} first
 */
public record DataConfig(String root, SplitConfig train, SplitConfig val, ShapesDataConfig generate) {}
