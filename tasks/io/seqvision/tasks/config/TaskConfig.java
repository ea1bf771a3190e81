package io.seqvision.tasks.config;

/**
 * One task of a run.
 *
 * @param weight     mixing weight: each training batch is one task's, drawn with probability
 *     proportional to it; 0 leaves the task out of the model
 * @param lossWeight multiplies the task's loss
 * @param sampling   decoding defaults for the task
 */
public record TaskConfig(double weight, double lossWeight, SamplingConfig sampling) {

    public boolean enabled() {
        return weight > 0;
    }
}
