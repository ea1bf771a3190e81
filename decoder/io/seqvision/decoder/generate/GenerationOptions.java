package io.seqvision.decoder.generate;

import java.util.Objects;

/**
 * What {@link Generator#generate} does.
 *
 * @param maxNewTokens the most tokens generated per sequence, end token included; at least 1
 * @param endToken the token id that ends a sequence; not negative
 * @param sampler chooses each next token
 * @param constraint masks tokens that may not come next ({@link TokenConstraint#UNCONSTRAINED} for
 *     none)
 * @param keyValueCache {@code true} (the default) to decode incrementally with a key/value cache,
 *     each step costing one token; {@code false} to recompute the decoder over the whole prefix at
 *     every step (slower; kept as the reference the cache is tested against)
 * @param logitsProcessor changes each sequence's logits from its history after the constraint
 *     ({@link LogitsProcessor#NONE} for none), e.g. {@link NoRepeatNGram}, {@link RepetitionPenalty}
 */
public record GenerationOptions(
        int maxNewTokens, int endToken, Sampler sampler, TokenConstraint constraint, boolean keyValueCache,
        LogitsProcessor logitsProcessor) {

    public GenerationOptions {
        if (maxNewTokens < 1) {
            throw new IllegalArgumentException("maxNewTokens must be at least 1, got " + maxNewTokens);
        }
        if (endToken < 0) {
            throw new IllegalArgumentException("endToken must not be negative, got " + endToken);
        }
        Objects.requireNonNull(sampler, "sampler");
        Objects.requireNonNull(constraint, "constraint (use TokenConstraint.UNCONSTRAINED for none)");
        Objects.requireNonNull(logitsProcessor, "logitsProcessor (use LogitsProcessor.NONE for none)");
    }

    /** Options without a logits processor. */
    public GenerationOptions(
            int maxNewTokens, int endToken, Sampler sampler, TokenConstraint constraint, boolean keyValueCache) {
        this(maxNewTokens, endToken, sampler, constraint, keyValueCache, LogitsProcessor.NONE);
    }

    /** Options with a key/value cache. */
    public GenerationOptions(int maxNewTokens, int endToken, Sampler sampler, TokenConstraint constraint) {
        this(maxNewTokens, endToken, sampler, constraint, true);
    }

    /** Options with a key/value cache and without a constraint. */
    public GenerationOptions(int maxNewTokens, int endToken, Sampler sampler) {
        this(maxNewTokens, endToken, sampler, TokenConstraint.UNCONSTRAINED);
    }

    /** Greedy decoding with a key/value cache and without a constraint. */
    public static GenerationOptions greedy(int maxNewTokens, int endToken) {
        return new GenerationOptions(maxNewTokens, endToken, new GreedySampler());
    }

    /** A copy with another constraint. */
    public GenerationOptions withConstraint(TokenConstraint newConstraint) {
        return new GenerationOptions(maxNewTokens, endToken, sampler, newConstraint, keyValueCache, logitsProcessor);
    }

    /** A copy with another sampler. */
    public GenerationOptions withSampler(Sampler newSampler) {
        return new GenerationOptions(maxNewTokens, endToken, newSampler, constraint, keyValueCache, logitsProcessor);
    }

    /** A copy that decodes with ({@code true}) or without a key/value cache. */
    public GenerationOptions withKeyValueCache(boolean useCache) {
        return new GenerationOptions(maxNewTokens, endToken, sampler, constraint, useCache, logitsProcessor);
    }

    /** A copy with another logits processor. */
    public GenerationOptions withLogitsProcessor(LogitsProcessor newProcessor) {
        return new GenerationOptions(maxNewTokens, endToken, sampler, constraint, keyValueCache, newProcessor);
    }
}
