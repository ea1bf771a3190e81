package io.seqvision.tasks.data;

import io.seqvision.tokenizers.TokenBox;
import java.util.List;

/**
 * One image ready for training or evaluation: its pixels resized by an {@link ImagePreprocessor}
 * and its boxes normalised by the original width and height.
 *
 * @param imageId the COCO image id (to report predictions against)
 * @param width   original width in pixels
 * @param height  original height in pixels
 */
public record DetectionExample(long imageId, int width, int height, byte[] pixels, List<TokenBox> boxes) {

    public DetectionExample {
        boxes = List.copyOf(boxes);
    }
}
