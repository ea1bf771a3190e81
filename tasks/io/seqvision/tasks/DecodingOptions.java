package io.seqvision.tasks;

import io.seqvision.decoder.generate.Sampler;
import io.seqvision.decoder.generate.SamplingStrategy;
import io.seqvision.tasks.config.SamplingConfig;

/**
 * How a task decodes, the one decoding-settings type from a config's {@code tasks.<task>.sampling}
 * block ({@link #fromConfig}) through training's evaluation, the library API, the DJL criteria,
 * the CLI and the web: the sampler with its parameters, a seed, a length budget and the decoding
 * path. A task's defaults are {@link Task#decoding()}; {@link Task#generationOptions} joins them
 * with the task's grammar and budget.
 *
 * <p>Each call makes a fresh sampler from these values ({@link #newSampler()}), so a call is
 * reproducible (same image, same options, same result) and concurrent calls share no random state.
 *
 * @param sampler {@code "greedy"}, {@code "temperature"}, {@code "top_k"} or {@code "nucleus"}
 * @param temperature divides the logits before sampling; positive and finite (unused by greedy)
 * @param topK how many of the most likely tokens {@code top_k} draws from; at least 1
 * @param topP probability mass {@code nucleus} draws from; in (0, 1]
 * @param seed seed of the sampler's random generator
 * @param maxNewTokens the most tokens to generate, end token included; 0 means as many as the task
 *     (for {@code detect}: every object the model was trained to list) or the decoder allows
 * @param keyValueCache decode incrementally with a key/value cache ({@code true}, the default) or
 *     recompute the whole prefix at every step (slower; same result to float rounding)
 */
public record DecodingOptions(
        String sampler, double temperature, int topK, double topP, long seed, int maxNewTokens, boolean keyValueCache) {

    private static final double DEFAULT_TOP_P = 0.4;

    public DecodingOptions {
        SamplingStrategy.named(sampler);
        if (!(temperature > 0 && Double.isFinite(temperature))) {
            throw new IllegalArgumentException("temperature must be positive and finite, got " + temperature);
        }
        if (topK < 1) {
            throw new IllegalArgumentException("topK must be at least 1, got " + topK);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("topP must be in (0, 1], got " + topP);
        }
        if (maxNewTokens < 0) {
            throw new IllegalArgumentException("maxNewTokens must be 0 (as many as allowed) or positive, got "
                    + maxNewTokens);
        }
    }

    /** The most likely token at every step. */
    public static DecodingOptions greedy() {
        return new DecodingOptions("greedy", 1, SamplingConfig.DEFAULT_TOP_K, DEFAULT_TOP_P, 0, 0, true);
    }

    /** Sampling from {@code softmax(logits / temperature)}. */
    public static DecodingOptions temperature(double temperature, long seed) {
        return new DecodingOptions("temperature", temperature, SamplingConfig.DEFAULT_TOP_K, DEFAULT_TOP_P, seed, 0, true);
    }

    /** Sampling among the {@code k} most likely tokens. */
    public static DecodingOptions topK(int k, double temperature, long seed) {
        return new DecodingOptions("top_k", temperature, k, DEFAULT_TOP_P, seed, 0, true);
    }

    /** Nucleus (top-p) sampling; Pix2Seq used {@code topP = 0.4} for boxes. */
    public static DecodingOptions nucleus(double topP, double temperature, long seed) {
        return new DecodingOptions("nucleus", temperature, SamplingConfig.DEFAULT_TOP_K, topP, seed, 0, true);
    }

    /** The decoding a task's {@code sampling:} block describes, seeded with {@code seed}. */
    public static DecodingOptions fromConfig(SamplingConfig sampling, long seed) {
        return new DecodingOptions(sampling.sampler(), sampling.temperature(), sampling.topK(), sampling.topP(), seed,
                0, true);
    }

    /** A copy with another length budget (0: as many as allowed). */
    public DecodingOptions withMaxNewTokens(int tokens) {
        return new DecodingOptions(sampler, temperature, topK, topP, seed, tokens, keyValueCache);
    }

    /** A copy with another seed. */
    public DecodingOptions withSeed(long newSeed) {
        return new DecodingOptions(sampler, temperature, topK, topP, newSeed, maxNewTokens, keyValueCache);
    }

    /** A copy that decodes with ({@code true}) or without a key/value cache. */
    public DecodingOptions withKeyValueCache(boolean useCache) {
        return new DecodingOptions(sampler, temperature, topK, topP, seed, maxNewTokens, useCache);
    }

    /** A fresh sampler, seeded with {@link #seed()}. */
    public Sampler newSampler() {
        return SamplingStrategy.named(sampler).create(temperature, topK, topP, seed);
    }
}
