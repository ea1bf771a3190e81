package io.seqvision.tasks.data.coco;

/**
 * A COCO {@code bbox}: top-left corner and size in pixels ({@code [x, y, width, height]} in the JSON).
 */
public record CocoBox(double x, double y, double width, double height) {

    /** @return the right edge, {@code x + width} */
    public double x2() {
        return x + width;
    }

    /** @return the bottom edge, {@code y + height} */
    public double y2() {
        return y + height;
    }

    /** @return {@code width * height} */
    public double area() {
        return width * height;
    }

    /** @return the horizontal centre */
    public double centerX() {
        return x + width / 2;
    }

    /** @return the vertical centre */
    public double centerY() {
        return y + height / 2;
    }

    /** @return whether the point lies inside the box or on its edge, within {@code tolerance} pixels */
    public boolean contains(double px, double py, double tolerance) {
        return px >= x - tolerance && px <= x2() + tolerance && py >= y - tolerance && py <= y2() + tolerance;
    }

    @Override
    public String toString() {
        return "[" + x + ", " + y + ", " + width + ", " + height + "]";
    }
}
