package io.seqvision.tasks;

import io.seqvision.tokenizers.TokenSequence;
import java.util.Random;

/**
 * A vision task cast as a token sequence: a prompt that says what is asked, then the response.
 * The model, the loss and generation are shared by all tasks; a task only says how its targets
 * become tokens and back.
 *
 * @param <T> what the task is trained on for one image (for detection: its boxes)
 * @param <R> what decoding gives back (for detection: boxes with scores)
 */
public interface Task<T, R> {

    /** The name configs and the CLI use. */
    String name();

    /** The prompt tokens for one image; {@code conditioning} is ignored by tasks whose prompt is fixed. */
    int[] prompt(T conditioning);

    /**
     * The whole training sequence, prompt then response then EOS, with per-token loss weights
     * (prompt tokens weigh 0). {@code random} drives training-time choices such as object order.
     */
    TokenSequence trainingSequence(T target, Random random);

    /** Longest sequence {@link #trainingSequence} can produce, prompt included. */
    int maxSequenceLength();

    /** The grammar for constrained decoding: which tokens may follow the generated response so far. */
    void allowedNext(int[] generated, boolean[] allowed);

    /** Reads a generated response (prompt excluded) back into a result; tolerates malformed tails. */
    R decode(int[] generated, float[] probabilities);
}
