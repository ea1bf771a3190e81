package io.seqvision.tasks.config;

/** The four tasks; a task with weight 0 is not trained and not part of the model's abilities. */
public record TasksConfig(TaskConfig detection, SegmentationConfig segmentation, KeypointsConfig keypoints,
        CaptioningConfig captioning) {

    /** The weight, loss weight and sampling of one task. */
    public TaskConfig of(io.seqvision.tasks.TaskKind task) {
        return switch (task) {
            case DETECTION -> detection;
            case SEGMENTATION -> segmentation.task();
            case KEYPOINTS -> keypoints.task();
            case CAPTIONING -> captioning.task();
        };
    }
}
