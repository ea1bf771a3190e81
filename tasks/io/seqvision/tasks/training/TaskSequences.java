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

    /**
     * The sequence, or null when augmentation removed every target the task needs.
     *
     * @param promptJitter how far each edge of a segmentation or keypoint prompt box moves, at most,
     *     as a fraction of the box's side (0: the exact box); the targets stay exact
     */
    static TokenSequence sequence(TaskSuite suite, TaskKind task, MultiTaskExample example, Random random,
            double promptJitter) {
        return switch (task) {
            case DETECTION -> suite.detection().trainingSequence(boxes(example), random);
            case SEGMENTATION -> {
                AnnotatedObject object = pick(example.objects(), AnnotatedObject::hasMask, random);
                yield object == null ? null
                        : suite.segmentation().trainingSequence(jitterPrompt(object, promptJitter, random), random);
            }
            case KEYPOINTS -> {
                AnnotatedObject person = pick(example.objects(), AnnotatedObject::hasKeypoints, random);
                yield person == null ? null
                        : suite.keypoints().trainingSequence(jitterPrompt(person, promptJitter, random), random);
            }
            case CAPTIONING -> example.captions().isEmpty() ? null
                    : suite.captioning().trainingSequence(
                            example.captions().get(random.nextInt(example.captions().size())), random);
        };
    }

    /**
     * The object with its box's edges each moved by up to {@code fraction} of the box's side
     * (uniformly, kept inside the image and at least a hundredth wide), as a detected box would
     * be off at inference: trained on exact boxes only, the model learns to read keypoints and
     * outlines off the prompt's edges and follows a detector's errors.
     */
    static AnnotatedObject jitterPrompt(AnnotatedObject object, double fraction, Random random) {
        if (fraction <= 0) {
            return object;
        }
        TokenBox box = object.box();
        double h = box.ymax() - box.ymin();
        double w = box.xmax() - box.xmin();
        double ymin = clamp(box.ymin() + (2 * random.nextDouble() - 1) * fraction * h);
        double xmin = clamp(box.xmin() + (2 * random.nextDouble() - 1) * fraction * w);
        double ymax = clamp(box.ymax() + (2 * random.nextDouble() - 1) * fraction * h);
        double xmax = clamp(box.xmax() + (2 * random.nextDouble() - 1) * fraction * w);
        if (ymax - ymin < 0.01 || xmax - xmin < 0.01) {
            return object;
        }
        TokenBox moved = new TokenBox(ymin, xmin, ymax, xmax, box.classIndex(), box.score());
        return new AnnotatedObject(moved, object.polygons(), object.keypoints(), object.area());
    }

    private static double clamp(double v) {
        return Math.max(0, Math.min(1, v));
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
