package io.seqvision.decoder.generate;

import java.util.Objects;

/**
 * Changes one sequence's next-token logits from the tokens it has generated so far, before the
 * {@link Sampler} chooses: the place for rules that depend on the history rather than on the
 * position, such as {@link NoRepeatNGram} and {@link RepetitionPenalty}. The {@link Generator}
 * applies it after the {@link TokenConstraint}, so a processor sees forbidden tokens at negative
 * infinity, and a sequence's reported token probabilities are those of the processed logits.
 *
 * <p>Implementations must be stateless between calls or keyed only on their arguments: the
 * generator calls them once per active sequence per step, and concurrent generations may share one.
 */
@FunctionalInterface
public interface LogitsProcessor {

    /** Leaves the logits as they are. */
    LogitsProcessor NONE = (generatedSoFar, logits) -> {};

    /**
     * Changes {@code logits} in place.
     *
     * @param generatedSoFar the tokens this sequence has generated so far, without its prompt
     *     (empty at the first step); must not be modified
     * @param logits one entry per token id; set an entry to negative infinity to forbid that token.
     *     At least one must stay finite.
     */
    void process(int[] generatedSoFar, float[] logits);

    /** This processor, then {@code next}; {@link #NONE} on either side is dropped. */
    default LogitsProcessor andThen(LogitsProcessor next) {
        Objects.requireNonNull(next, "next");
        if (next == NONE) {
            return this;
        }
        if (this == NONE) {
            return next;
        }
        LogitsProcessor first = this;
        return new LogitsProcessor() {
            @Override
            public void process(int[] generatedSoFar, float[] logits) {
                first.process(generatedSoFar, logits);
                next.process(generatedSoFar, logits);
            }

            @Override
            public String toString() {
                return first + " then " + next;
            }
        };
    }
}
