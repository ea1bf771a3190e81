package io.seqvision.decoder.generate;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The samplers by name, as configs write them ({@code greedy}, {@code temperature}, {@code
 * top_k}, {@code nucleus}), with a factory that makes a fresh, seeded {@link Sampler} for one
 * generation call.
 */
public enum SamplingStrategy {
    /** {@link GreedySampler}: the most likely token. */
    GREEDY("greedy"),
    /** {@link TemperatureSampler}: sampling from softmax(logits / temperature). */
    TEMPERATURE("temperature"),
    /** {@link TopKSampler}: sampling among the k most likely tokens. */
    TOP_K("top_k"),
    /** {@link NucleusSampler}: sampling from the smallest set holding probability top_p. */
    NUCLEUS("nucleus");

    private final String configName;

    SamplingStrategy(String configName) {
        this.configName = configName;
    }

    /** The name configs use. */
    public String configName() {
        return configName;
    }

    /**
     * The strategy a config names (case-insensitive).
     *
     * @throws IllegalArgumentException naming the valid names if {@code name} is unknown
     */
    public static SamplingStrategy named(String name) {
        for (SamplingStrategy strategy : values()) {
            if (strategy.configName.equals(name == null ? null : name.toLowerCase(Locale.ROOT))) {
                return strategy;
            }
        }
        throw new IllegalArgumentException("unknown sampler '" + name + "'; valid: "
                + Arrays.stream(values()).map(SamplingStrategy::configName).collect(Collectors.joining(", ")));
    }

    /**
     * A new sampler of this kind. Parameters a strategy does not use are ignored (but still
     * checked by the sampler that does use them).
     *
     * @param temperature for temperature, top_k and nucleus; positive and finite
     * @param topK for top_k; at least 1
     * @param topP for nucleus; in (0, 1]
     * @param seed of the sampler's random generator
     */
    public Sampler create(double temperature, int topK, double topP, long seed) {
        return switch (this) {
            case GREEDY -> new GreedySampler();
            case TEMPERATURE -> new TemperatureSampler(temperature, seed);
            case TOP_K -> new TopKSampler(topK, temperature, seed);
            case NUCLEUS -> new NucleusSampler(topP, temperature, seed);
        };
    }
}
