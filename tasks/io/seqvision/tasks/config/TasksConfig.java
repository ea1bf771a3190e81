package io.seqvision.tasks.config;

/** The four tasks; a task with weight 0 is not trained and not part of the model's abilities. */
public record TasksConfig(TaskConfig detection, SegmentationConfig segmentation, TaskConfig keypoints,
        CaptioningConfig captioning) {}
