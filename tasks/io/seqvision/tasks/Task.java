package io.seqvision.tasks;

import io.seqvision.decoder.generate.GenerationOptions;
import io.seqvision.decoder.generate.LogitsProcessor;
import io.seqvision.tasks.data.AnnotatedObject;
import io.seqvision.tasks.data.MultiTaskExample;
import io.seqvision.tokenizers.TokenSequence;
import io.seqvision.tokenizers.Vocabulary;
import java.util.Random;

/**
 * A vision task cast as a token sequence: a prompt that says what is asked, then the response.
 * The model, the loss and generation are shared by all tasks; a task says everything that is its
 * own: how its targets become tokens and back, what of a training example it learns from, its
 * grammar, its token budget, its decoding defaults and its repetition control. {@code TaskSuite} hands tasks out by
 * {@link TaskKind}, so no caller branches on the kind.
 *
 * @param <T> what the task is trained on or prompted with for one sequence (for detection: the boxes)
 * @param <R> what decoding gives back (for detection: boxes with scores)
 */
public interface Task<T, R> {

    /** Which of the four tasks this is. */
    TaskKind kind();

    /** The name configs and the CLI use. */
    default String name() {
        return kind().id();
    }

    /** The prompt tokens for one sequence; {@code conditioning} is ignored by tasks whose prompt is fixed. */
    int[] prompt(T conditioning);

    /**
     * The whole training sequence, prompt then response then EOS, with per-token loss weights
     * (prompt tokens weigh 0). {@code random} drives training-time choices such as object order.
     */
    TokenSequence trainingSequence(T target, Random random);

    /** Longest sequence {@link #trainingSequence} can produce, prompt included. */
    int maxSequenceLength();

    /** Most tokens a generated response may take, end token included: the default generation budget. */
    int responseBudget();

    /** The grammar for constrained decoding: which tokens may follow the generated response so far. */
    void allowedNext(int[] generated, boolean[] allowed);

    /** Reads a generated response (prompt excluded) back into a result; tolerates malformed tails. */
    R decode(int[] generated, float[] probabilities);

    /** The decoding the model's config asks for this task ({@code tasks.<task>.sampling} and {@code seed}). */
    DecodingOptions decoding();

    /**
     * The repetition control the model's config asks for this task ({@code tasks.<task>.sampling}'s
     * {@code no_repeat_ngram_size} and {@code repetition_penalty}, {@link
     * io.seqvision.tasks.config.SamplingConfig#logitsProcessor()}; {@link LogitsProcessor#NONE} for
     * none). Like the grammar it belongs to the task, so {@link #generationOptions} applies it
     * whichever sampler a call picks.
     */
    LogitsProcessor logitsProcessor();

    /**
     * Whether the task is prompted by one object (its box) and so trains, as it is used, on a
     * window of the image around one object it {@link #trainsOn}; otherwise it reads the whole image.
     */
    default boolean promptedByObject() {
        return false;
    }

    /** Whether an object can be the subject of a training sequence (for tasks {@link #promptedByObject}). */
    default boolean trainsOn(AnnotatedObject object) {
        return false;
    }

    /**
     * Whether a whole-image training view may be scale-jittered and cropped (not for captions,
     * whose words name positions in the whole image).
     */
    default boolean cropsWholeImage() {
        return true;
    }

    /** Whether a training example can train this task at all (before augmentation). */
    boolean covers(MultiTaskExample example);

    /** What an example must hold to train this task, for error messages. */
    String needs();

    /**
     * The training sequence of one (augmented) example, or null when augmentation removed every
     * target the task needs.
     *
     * @param promptJitter how far each edge of an object prompt's box moves, at most, as a fraction
     *     of the box's side (0: the exact box; tasks without object prompts ignore it)
     */
    TokenSequence exampleSequence(MultiTaskExample example, Random random, double promptJitter);

    /**
     * How the generator decodes this task with {@code options}: the task's grammar, the options'
     * length budget or else the task's, a fresh sampler, the task's {@link #logitsProcessor()};
     * {@code beforeEachToken} runs before every step (a deadline may throw from it).
     */
    default GenerationOptions generationOptions(DecodingOptions options, Runnable beforeEachToken) {
        return generationOptions(options, logitsProcessor(), beforeEachToken);
    }

    /**
     * As {@link #generationOptions(DecodingOptions, Runnable)} with another repetition control than
     * the task's own (an evaluation overlay may change it).
     */
    default GenerationOptions generationOptions(
            DecodingOptions options, LogitsProcessor repetition, Runnable beforeEachToken) {
        int budget = options.maxNewTokens() > 0 ? options.maxNewTokens() : responseBudget();
        return new GenerationOptions(budget, Vocabulary.EOS, options.newSampler(), (generated, allowed) -> {
            beforeEachToken.run();
            allowedNext(generated, allowed);
        }, options.keyValueCache(), repetition);
    }
}
