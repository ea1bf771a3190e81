package io.seqvision.tasks;

import io.seqvision.tasks.data.AnnotatedObject;
import io.seqvision.tokenizers.TokenBox;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;

/** Choosing and perturbing the object that prompts an object task's training sequence (segmentation, keypoints). */
public final class ObjectPrompts {

    private ObjectPrompts() {}

    /** One object drawn at random among the eligible ones, or null when there is none. */
    public static AnnotatedObject pick(List<AnnotatedObject> objects, Predicate<AnnotatedObject> eligible,
            Random random) {
        List<AnnotatedObject> candidates = objects.stream().filter(eligible).toList();
        return candidates.isEmpty() ? null : candidates.get(random.nextInt(candidates.size()));
    }

    /**
     * The object with its box's edges each moved by up to {@code fraction} of the box's side
     * (uniformly, kept inside the image and at least a hundredth wide), as a detected box would
     * be off at inference: trained on exact boxes only, the model learns to read keypoints and
     * outlines off the prompt's edges and follows a detector's errors.
     */
    public static AnnotatedObject jitter(AnnotatedObject object, double fraction, Random random) {
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
}
