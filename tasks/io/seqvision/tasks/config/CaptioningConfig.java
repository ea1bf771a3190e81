package io.seqvision.tasks.config;

/**
 * Captioning.
 *
 * @param tokenizer the HuggingFace {@code tokenizer.json} of the caption text (copied into the
 *     saved model)
 * @param maxTokens caption tokens per sequence (longer captions are cut)
 */
public record CaptioningConfig(double weight, double lossWeight, String tokenizer, int maxTokens,
        SamplingConfig sampling) {

    public TaskConfig task() {
        return new TaskConfig(weight, lossWeight, sampling);
    }
}
