package io.seqvision.tasks.data;

import java.util.List;

/**
 * The targets of one augmented example, in normalised coordinates of the augmented image.
 *
 * @param objects   the objects still visible, transformed and clipped
 * @param captions  the captions, "left" and "right" swapped when flipped
 * @param transform the geometry applied (to report or reproduce it)
 */
public record AugmentedTargets(List<AnnotatedObject> objects, List<String> captions, ImageTransform transform) {

    public AugmentedTargets {
        objects = List.copyOf(objects);
        captions = List.copyOf(captions);
    }
}
