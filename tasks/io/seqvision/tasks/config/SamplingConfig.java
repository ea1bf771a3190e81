package io.seqvision.tasks.config;

/**
 * A task's decoding defaults for evaluation and prediction (a saved model carries them).
 *
 * @param sampler     "greedy", "temperature", "top_k" or "nucleus"
 * @param topP        nucleus mass (Pix2Seq used 0.4 for boxes)
 * @param temperature divides the logits before sampling (not used by greedy)
 * @param topK        how many of the most likely tokens top_k sampling draws from
 */
public record SamplingConfig(String sampler, double topP, double temperature, int topK) {

    /** The top-k default of {@code default-config.yaml}, for code that builds decoding options by hand. */
    public static final int DEFAULT_TOP_K = 40;
}
