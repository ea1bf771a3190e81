package io.seqvision.tasks.training;

import io.seqvision.tasks.TaskKind;
import io.seqvision.tasks.data.AnnotatedObject;
import io.seqvision.tasks.data.MultiTaskExample;
import io.seqvision.tasks.model.TaskSuite;
import io.seqvision.tokenizers.TokenBox;
import io.seqvision.tokenizers.TokenSequence;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;

/**
 * The training sequence of one example for one task: detection uses every object, segmentation
 * and keypoints one object drawn at random among those with a mask or labelled keypoints (as
 * Pix2Seq v2 trains one object per sequence), captioning one of the captions drawn at random.
 */
final class TaskSequences {

    private TaskSequences() {}

    /** Whether an example can train the task at all (before augmentation). */
    static boolean covers(TaskKind task, MultiTaskExample example) {
        return switch (task) {
            case DETECTION -> true;
            case SEGMENTATION -> example.objects().stream().anyMatch(AnnotatedObject::hasMask);
            case KEYPOINTS -> example.objects().stream().anyMatch(AnnotatedObject::hasKeypoints);
            case CAPTIONING -> !example.captions().isEmpty();
        };
    }

    /** The sequence, or null when augmentation removed every target the task needs. */
    static TokenSequence sequence(TaskSuite suite, TaskKind task, MultiTaskExample example, Random random) {
        return switch (task) {
            case DETECTION -> suite.detection().trainingSequence(boxes(example), random);
            case SEGMENTATION -> {
                AnnotatedObject object = pick(example.objects(), AnnotatedObject::hasMask, random);
                yield object == null ? null : suite.segmentation().trainingSequence(object, random);
            }
            case KEYPOINTS -> {
                AnnotatedObject person = pick(example.objects(), AnnotatedObject::hasKeypoints, random);
                yield person == null ? null : suite.keypoints().trainingSequence(person, random);
            }
            case CAPTIONING -> example.captions().isEmpty() ? null
                    : suite.captioning().trainingSequence(
                            example.captions().get(random.nextInt(example.captions().size())), random);
        };
    }

    static List<TokenBox> boxes(MultiTaskExample example) {
        return example.objects().stream().map(AnnotatedObject::box).toList();
    }

    private static AnnotatedObject pick(List<AnnotatedObject> objects, Predicate<AnnotatedObject> eligible,
            Random random) {
        List<AnnotatedObject> candidates = objects.stream().filter(eligible).toList();
        return candidates.isEmpty() ? null : candidates.get(random.nextInt(candidates.size()));
    }
}
