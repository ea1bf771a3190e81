package io.seqvision.tasks.training;

import io.seqvision.tasks.data.MultiTaskExample;
import java.util.Random;

/** Writes one training image, augmented, into a batch buffer and returns its targets transformed alike. */
@FunctionalInterface
public interface Augmenter {

    /**
     * @param example the stored example (pixels at the model's side)
     * @param crop    whether scale jitter and crop may apply (off for captions, which name every object)
     * @param random  the only source of randomness, so that a step's augmentation is reproducible
     * @param batch   (B, 3, side, side) normalised floats
     * @param index   the row of {@code batch} to write
     * @return the example's objects and captions after the same transform
     */
    MultiTaskExample apply(MultiTaskExample example, boolean crop, Random random, float[] batch, int index);
}
