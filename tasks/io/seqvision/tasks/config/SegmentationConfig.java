package io.seqvision.tasks.config;

/**
 * Instance segmentation: a polygon per object, prompted by the object's box and class.
 *
 * @param maxPoints polygon vertices per object in a target sequence (simplified to fit)
 */
public record SegmentationConfig(double weight, double lossWeight, int maxPoints, SamplingConfig sampling) {

    public TaskConfig task() {
        return new TaskConfig(weight, lossWeight, sampling);
    }
}
