package io.seqvision.tasks.api;

import ai.djl.modality.cv.output.BoundingBox;
import ai.djl.modality.cv.output.DetectedObjects;
import ai.djl.modality.cv.output.Rectangle;
import io.seqvision.decoder.generate.GeneratedSequence;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@link SeqVisionModel#detect} found in one image.
 *
 * @param imageWidth the width of the image given to {@code detect}, in pixels
 * @param imageHeight its height
 * @param detections the objects in the order the model listed them, boxes in pixels of that image
 * @param generation the raw tokens and probabilities the detections were read from
 */
public record DetectionResult(int imageWidth, int imageHeight, List<Detection> detections, GeneratedSequence generation) {

    public DetectionResult {
        if (imageWidth < 1 || imageHeight < 1) {
            throw new IllegalArgumentException("image size must be positive, got " + imageWidth + "x" + imageHeight);
        }
        detections = List.copyOf(detections);
    }

    /**
     * The detections as DJL's {@link DetectedObjects}: class names, scores, and {@link Rectangle}s
     * in coordinates normalised by the image's width and height, as DJL's drawing utilities
     * ({@code Image.drawBoundingBoxes}) expect.
     */
    public DetectedObjects toDetectedObjects() {
        List<String> names = new ArrayList<>(detections.size());
        List<Double> scores = new ArrayList<>(detections.size());
        List<BoundingBox> boxes = new ArrayList<>(detections.size());
        for (Detection d : detections) {
            names.add(d.className());
            scores.add(d.score());
            boxes.add(new Rectangle(d.xmin() / imageWidth, d.ymin() / imageHeight,
                    d.width() / imageWidth, d.height() / imageHeight));
        }
        return new DetectedObjects(names, scores, boxes);
    }
}
