package io.seqvision.tasks.data;

import io.seqvision.tokenizers.TokenBox;
import java.util.List;

/**
 * One image with every target the tasks train on: its pixels resized by an {@link
 * ImageInput} (planar RGB, {@code 3 * side * side} bytes) and its objects and captions.
 *
 * @param imageId  the COCO image id (to report predictions against)
 * @param width    original width in pixels
 * @param height   original height in pixels
 * @param objects  non-crowd objects, with masks and keypoints where the files give them
 * @param captions reference captions (empty when the split has no captions file)
 */
public record MultiTaskExample(long imageId, int width, int height, byte[] pixels, List<AnnotatedObject> objects,
        List<String> captions) {

    public MultiTaskExample {
        objects = List.copyOf(objects);
        captions = List.copyOf(captions);
    }

    /** The boxes of every object. */
    public List<TokenBox> boxes() {
        return objects.stream().map(AnnotatedObject::box).toList();
    }
}
