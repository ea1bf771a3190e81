package io.seqvision.decoder.generate;

import java.util.Objects;

/**
 * What {@link Generator#generate} does.
 *
 * @param maxNewTokens the most tokens generated per sequence, end token included; at least 1
 * @param endToken the token id that ends a sequence (Pix2Seq uses 0); not negative
 * @param sampler chooses each next token
 * @param constraint masks tokens that may not come next ({@link TokenConstraint#UNCONSTRAINED} for
 *     none)
 */
public record GenerationOptions(
        int maxNewTokens, int endToken, Sampler sampler, TokenConstraint constraint) {

    public GenerationOptions {
        if (maxNewTokens < 1) {
            throw new IllegalArgumentException("maxNewTokens must be at least 1, got " + maxNewTokens);
        }
        if (endToken < 0) {
            throw new IllegalArgumentException("endToken must not be negative, got " + endToken);
        }
        Objects.requireNonNull(sampler, "sampler");
        Objects.requireNonNull(constraint, "constraint (use TokenConstraint.UNCONSTRAINED for none)");
    }

    /** Options without a constraint. */
    public GenerationOptions(int maxNewTokens, int endToken, Sampler sampler) {
        this(maxNewTokens, endToken, sampler, TokenConstraint.UNCONSTRAINED);
    }

    /** Greedy decoding without a constraint. */
    public static GenerationOptions greedy(int maxNewTokens, int endToken) {
        return new GenerationOptions(maxNewTokens, endToken, new GreedySampler());
    }

    /** A copy with another constraint. */
    public GenerationOptions withConstraint(TokenConstraint newConstraint) {
        return new GenerationOptions(maxNewTokens, endToken, sampler, newConstraint);
    }
}
