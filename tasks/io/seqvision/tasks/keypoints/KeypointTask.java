package io.seqvision.tasks.keypoints;

import io.seqvision.tasks.Task;
import io.seqvision.tasks.data.AnnotatedObject;
import io.seqvision.tokenizers.Keypoint;
import io.seqvision.tokenizers.KeypointTokenizer;
import io.seqvision.tokenizers.TokenSequence;
import java.util.List;
import java.util.Random;

/**
 * Person keypoints: the prompt is {@code [KEYPOINTS] ymin xmin ymax xmax} of one person, the
 * response the 17 COCO keypoints (see {@link KeypointTokenizer}). At evaluation the prompt comes
 * from a detected person, so a pose's score is its detection's.
 */
public final class KeypointTask implements Task<AnnotatedObject, List<Keypoint>> {

    private final KeypointTokenizer tokenizer;

    public KeypointTask(KeypointTokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    public KeypointTokenizer tokenizer() {
        return tokenizer;
    }

    @Override
    public String name() {
        return "keypoints";
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
