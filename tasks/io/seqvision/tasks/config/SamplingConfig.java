package io.seqvision.tasks.config;

import io.seqvision.decoder.generate.LogitsProcessor;
import io.seqvision.decoder.generate.NoRepeatNGram;
import io.seqvision.decoder.generate.RepetitionPenalty;

/**
 * A task's decoding defaults for evaluation and prediction (a saved model carries them).
 *
 * @param sampler     "greedy", "temperature", "top_k" or "nucleus"
 * @param topP        nucleus mass (Pix2Seq used 0.4 for boxes)
 * @param temperature divides the logits before sampling (not used by greedy)
 * @param topK        how many of the most likely tokens top_k sampling draws from
 * @param noRepeatNgramSize no n-gram of this many tokens may occur twice in one answer (0: off)
 * @param repetitionPenalty logits of tokens already generated are divided (positive) or multiplied
 *     (negative) by this (1: off)
 */
public record SamplingConfig(String sampler, double topP, double temperature, int topK, int noRepeatNgramSize,
        double repetitionPenalty) {

    /** The top-k default of {@code default-config.yaml}, for code that builds decoding options by hand. */
    public static final int DEFAULT_TOP_K = 40;

    /**
     * The repetition control this block asks for: no-repeat n-gram blocking and the repetition
     * penalty, each only when switched on. It belongs to the task, like its grammar, so it applies
     * whichever sampler a call chooses.
     */
    public LogitsProcessor logitsProcessor() {
        LogitsProcessor processor = LogitsProcessor.NONE;
        if (repetitionPenalty != 1.0) {
            processor = processor.andThen(new RepetitionPenalty(repetitionPenalty));
        }
        if (noRepeatNgramSize > 0) {
            processor = processor.andThen(new NoRepeatNGram(noRepeatNgramSize));
        }
        return processor;
    }
}
