package io.seqvision.tasks.training;

import io.seqvision.tasks.config.SeqVisionConfig;
import io.seqvision.tasks.data.AnnotatedObject;
import io.seqvision.tasks.data.ImagePreprocessor;
import io.seqvision.tasks.data.MultiTaskExample;
import io.seqvision.tokenizers.CocoKeypoints;
import io.seqvision.tokenizers.NormalizedPolygon;
import java.util.List;
import java.util.Random;

/** Horizontal flips only (with the keypoints' left/right swap), each image with probability 1/2. */
final class FlipAugmenter implements Augmenter {

    private final ImagePreprocessor images;
    private final boolean enabled;

    FlipAugmenter(int side, boolean enabled) {
        this.images = new ImagePreprocessor(side);
        this.enabled = enabled;
    }

    static FlipAugmenter of(SeqVisionConfig config) {
        return new FlipAugmenter(config.model().imageSize(), config.training().horizontalFlip());
    }

    @Override
    public MultiTaskExample apply(MultiTaskExample example, boolean crop, Random random, float[] batch, int index) {
        boolean flip = enabled && random.nextBoolean();
        images.normalizeInto(example.pixels(), flip, batch, index);
        if (!flip) {
            return example;
        }
        List<AnnotatedObject> objects = example.objects().stream()
                .map(o -> new AnnotatedObject(o.box().flipHorizontal(),
                        o.polygons().stream().map(NormalizedPolygon::flipHorizontal).toList(),
                        o.keypoints().isEmpty() ? o.keypoints() : CocoKeypoints.flipHorizontal(o.keypoints()),
                        o.area()))
                .toList();
        List<String> captions = example.captions().stream().map(FlipAugmenter::swapSides).toList();
        return new MultiTaskExample(example.imageId(), example.width(), example.height(), example.pixels(), objects,
                captions);
    }

    static String swapSides(String caption) {
        return caption.replaceAll("\\bleft\\b", "\u0000").replaceAll("\\bright\\b", "left").replace("\u0000", "right");
    }
}
