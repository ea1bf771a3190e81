package io.seqvision.decoder.generate;

/**
 * Restricts which tokens may come next, for constrained decoding (a task's grammar, such as four
 * coordinate bins then a class). Disallowed tokens get logit negative infinity before sampling.
 *
 * <p>Implementations must be stateless between calls or keyed only on their arguments: the
 * generator calls them once per active sequence per step.
 */
@FunctionalInterface
public interface TokenConstraint {

    /** Allows every token. */
    TokenConstraint UNCONSTRAINED = (generatedSoFar, allowed) -> {};

    /**
     * Clears the entries of tokens that may not come next.
     *
     * @param generatedSoFar the tokens this sequence has generated so far, without its prompt
     *     (empty at the first step); must not be modified
     * @param allowed one entry per token id, all {@code true} on entry; set an entry to {@code
     *     false} to forbid that token. At least one must stay {@code true}.
     */
    void allowedNext(int[] generatedSoFar, boolean[] allowed);
}
