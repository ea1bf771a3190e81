package io.seqvision.tasks.training;

import io.seqvision.tasks.config.SeqVisionConfig;
import io.seqvision.tasks.config.TrainingConfig;
import io.seqvision.tasks.data.AugmentationOptions;
import io.seqvision.tasks.data.AugmentedTargets;
import io.seqvision.tasks.data.ImageInput;
import io.seqvision.tasks.data.MultiTaskAugmentation;
import io.seqvision.tasks.data.MultiTaskExample;
import io.seqvision.tasks.model.ModelBundle;
import java.util.Random;

/**
 * The training augmentation of a config: scale jitter and crop ({@code training.scale_jitter_min}
 * .. {@code scale_jitter_max}) and horizontal flips ({@code training.horizontal_flip}) through
 * {@link MultiTaskAugmentation}; without {@code crop}, flips alone.
 */
public final class ScaleJitterAugmenter implements Augmenter {

    private final MultiTaskAugmentation jittered;
    private final MultiTaskAugmentation flipped;

    public ScaleJitterAugmenter(ImageInput input, double minScale, double maxScale, boolean flip) {
        this.jittered = new MultiTaskAugmentation(input, new AugmentationOptions(minScale, maxScale, flip));
        this.flipped = new MultiTaskAugmentation(input, new AugmentationOptions(1, 1, flip));
    }

    public static ScaleJitterAugmenter of(SeqVisionConfig config) {
        TrainingConfig t = config.training();
        return new ScaleJitterAugmenter(ModelBundle.imageInput(config), t.scaleJitterMin(), t.scaleJitterMax(),
                t.horizontalFlip());
    }

    @Override
    public MultiTaskExample apply(MultiTaskExample example, boolean crop, Random random, float[] batch, int index) {
        AugmentedTargets targets = (crop ? jittered : flipped).apply(example, random, batch, index);
        return new MultiTaskExample(example.imageId(), example.width(), example.height(), example.pixels(),
                targets.objects(), targets.captions());
    }
}
