package io.seqvision.tasks.config;

/**
 * Decoding for evaluation and prediction: the per-task defaults a saved model carries.
 *
 * @param sampler     "greedy", "temperature", "top_k" or "nucleus"
 * @param topP        nucleus mass (Pix2Seq used 0.4 for boxes)
 * @param temperature divides the logits before sampling (not used by greedy)
 * @param maxImages   evaluate on at most this many held-out images (0 = all)
 * @param topK        how many of the most likely tokens top_k sampling draws from
 */
public record EvalConfig(String sampler, double topP, double temperature, int batchSize, int maxImages, int topK) {

    /** The top-k default of {@code default-config.yaml}, for code that builds decoding options by hand. */
    public static final int DEFAULT_TOP_K = 40;

    /** The same decoding on at most {@code limit} images. */
    public EvalConfig withMaxImages(int limit) {
        return new EvalConfig(sampler, topP, temperature, batchSize, limit, topK);
    }
}
