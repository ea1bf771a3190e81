package io.seqvision.decoder.generate;

import java.util.BitSet;

/**
 * The repetition penalty of CTRL (Keskar et al. 2019, arXiv 1909.05858): the logit of every
 * token the sequence has already generated is divided by the penalty when positive and multiplied
 * by it when negative, so a penalty above 1 makes repeats less likely whatever the logit's sign
 * (Hugging Face's {@code RepetitionPenaltyLogitsProcessor}). Each token is penalised once, however
 * often it occurred; the prompt does not count; forbidden tokens stay forbidden. Stateless.
 */
public final class RepetitionPenalty implements LogitsProcessor {

    private final float penalty;

    /**
     * @param penalty positive and finite; 1 changes nothing, above 1 discourages repeats
     * @throws IllegalArgumentException if {@code penalty} is not positive and finite
     */
    public RepetitionPenalty(double penalty) {
        if (!(penalty > 0 && Double.isFinite(penalty))) {
            throw new IllegalArgumentException("the repetition penalty must be positive and finite, got " + penalty);
        }
        this.penalty = (float) penalty;
    }

    /** The penalty. */
    public double penalty() {
        return penalty;
    }

    @Override
    public void process(int[] generatedSoFar, float[] logits) {
        BitSet done = new BitSet(logits.length);
        for (int token : generatedSoFar) {
            if (done.get(token)) {
                continue;
            }
            done.set(token);
            float logit = logits[token];
            logits[token] = logit > 0 ? logit / penalty : logit * penalty;
        }
    }

    @Override
    public String toString() {
        return "RepetitionPenalty(" + penalty + ")";
    }
}
