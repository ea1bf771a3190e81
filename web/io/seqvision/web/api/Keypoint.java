package io.seqvision.web.api;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One COCO keypoint in pixels of the uploaded image; JSON {@code [x, y, visible]}.
 *
 * @param visible COCO's flag: 0 not labelled (x and y are then meaningless), 1 labelled but
 *     hidden, 2 visible
 */
@JsonFormat(shape = JsonFormat.Shape.ARRAY)
@JsonPropertyOrder({"x", "y", "visible"})
public record Keypoint(double x, double y, int visible) {

    public Keypoint {
        if (visible < 0 || visible > 2) {
            throw new IllegalArgumentException("keypoint visibility must be 0, 1 or 2, got " + visible);
        }
    }
}
