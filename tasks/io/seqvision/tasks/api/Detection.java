package io.seqvision.tasks.api;

import java.util.Objects;

/**
 * One detected object, in pixels of the image given to {@code detect} (not of the model's
 * resized input): {@code 0 <= xmin <= xmax <= imageWidth}, likewise for y.
 *
 * @param className the class's name, as the training data named it
 * @param classIndex the class's index in {@link SeqVisionModel#classNames()}
 * @param score the probability of the class token, in (0, 1]
 */
public record Detection(
        String className, int classIndex, double score, double xmin, double ymin, double xmax, double ymax) {

    public Detection {
        Objects.requireNonNull(className, "className");
        if (!(xmin <= xmax && ymin <= ymax)) {
            throw new IllegalArgumentException("inverted box: x " + xmin + ".." + xmax + ", y " + ymin + ".." + ymax);
        }
    }

    public double width() {
        return xmax - xmin;
    }

    public double height() {
        return ymax - ymin;
    }
}
