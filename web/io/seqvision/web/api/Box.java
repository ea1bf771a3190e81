package io.seqvision.web.api;

/** A box in pixels of the uploaded image: {@code 0 <= xmin <= xmax <= width}, likewise for y. */
public record Box(double xmin, double ymin, double xmax, double ymax) {

    public Box {
        if (!(xmin <= xmax && ymin <= ymax)) {
            throw new IllegalArgumentException("inverted box: x " + xmin + ".." + xmax + ", y " + ymin + ".." + ymax);
        }
    }
}
