package io.seqvision.tasks.keypoints;

import io.seqvision.decoder.generate.LogitsProcessor;
import io.seqvision.tasks.DecodingOptions;
import io.seqvision.tasks.ObjectPrompts;
import io.seqvision.tasks.Task;
import io.seqvision.tasks.TaskKind;
import io.seqvision.tasks.data.MultiTaskExample;
import io.seqvision.tasks.data.AnnotatedObject;
import io.seqvision.tokenizers.Keypoint;
import io.seqvision.tokenizers.KeypointTokenizer;
import io.seqvision.tokenizers.TokenSequence;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * Person keypoints: the prompt is {@code [KEYPOINTS] ymin xmin ymax xmax} of one person, the
 * response the 17 COCO keypoints (see {@link KeypointTokenizer}). At evaluation the prompt comes
 * from a detected person, so a pose's score is its detection's.
 */
public final class KeypointTask implements Task<AnnotatedObject, List<Keypoint>> {

    private final KeypointTokenizer tokenizer;
    private final DecodingOptions decoding;
    private final LogitsProcessor logitsProcessor;

    /**
     * @param decoding the decoding defaults (the config's {@code tasks.keypoints.sampling})
     * @param logitsProcessor the repetition control (the same block's {@code no_repeat_ngram_size}
     *     and {@code repetition_penalty}; {@link LogitsProcessor#NONE} for none)
     */
    public KeypointTask(KeypointTokenizer tokenizer, DecodingOptions decoding, LogitsProcessor logitsProcessor) {
        this.tokenizer = tokenizer;
        this.decoding = decoding;
        this.logitsProcessor = Objects.requireNonNull(logitsProcessor, "logitsProcessor");
    }

    public KeypointTokenizer tokenizer() {
        return tokenizer;
    }

    @Override
    public TaskKind kind() {
        return TaskKind.KEYPOINTS;
    }

    @Override
    public DecodingOptions decoding() {
        return decoding;
    }

    @Override
    public LogitsProcessor logitsProcessor() {
        return logitsProcessor;
    }

    @Override
    public boolean promptedByObject() {
        return true;
    }

    @Override
    public boolean trainsOn(AnnotatedObject object) {
        return object.hasKeypoints();
    }

    @Override
    public boolean covers(MultiTaskExample example) {
        return example.objects().stream().anyMatch(this::trainsOn);
    }

    @Override
    public String needs() {
        return "objects with labelled keypoints";
    }

    /** One object the task trains on, drawn at random, its prompt box jittered. */
    @Override
    public TokenSequence exampleSequence(MultiTaskExample example, Random random, double promptJitter) {
        AnnotatedObject object = ObjectPrompts.pick(example.objects(), this::trainsOn, random);
        return object == null ? null : trainingSequence(ObjectPrompts.jitter(object, promptJitter, random), random);
    }

    @Override
    public int responseBudget() {
        return tokenizer.maxResponseLength();
    }

    @Override
    public int[] prompt(AnnotatedObject person) {
        return tokenizer.prompt(person.box());
    }

    /** @throws IllegalArgumentException when the object has no labelled keypoint */
    @Override
    public TokenSequence trainingSequence(AnnotatedObject person, Random random) {
        if (!person.hasKeypoints()) {
            throw new IllegalArgumentException("object " + person.box() + " has no labelled keypoint");
        }
        return tokenizer.encode(person.keypoints()).withPrompt(prompt(person));
    }

    @Override
    public int maxSequenceLength() {
        return KeypointTokenizer.PROMPT_LENGTH + tokenizer.maxResponseLength();
    }

    @Override
    public void allowedNext(int[] generated, boolean[] allowed) {
        tokenizer.allowedNext(generated, allowed);
    }

    @Override
    public List<Keypoint> decode(int[] generated, float[] probabilities) {
        return tokenizer.decode(generated);
    }
}
