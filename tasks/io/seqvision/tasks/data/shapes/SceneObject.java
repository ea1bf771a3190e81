package io.seqvision.tasks.data.shapes;

import java.util.List;

/**
 * One placed object with its annotation, coordinates in image pixels rounded to 1/100 px.
 *
 * @param polygons  flat {x1, y1, x2, y2, ...} outlines; their union is the object's mask
 * @param bbox      {x, y, width, height}, the tight bounds of the polygons
 * @param area      mask area in square pixels (the exact union area for a person)
 * @param keypoints 17 x (x, y, v) in COCO order for a person, {@code null} otherwise
 * @param eyes      discs painted over a person's head in {@code eyeRgb}; empty for other shapes
 * @param farParts  indices into {@code polygons} painted first, in {@code farRgb}: the far limbs of a person in
 *                  profile (see {@code StickFigure.Figure}); empty otherwise
 */
record SceneObject(ShapeCategory category, ShapeColor color, List<double[]> polygons, double[] bbox,
        double area, double[] keypoints, List<double[]> eyes, int eyeRgb, int[] farParts, int farRgb) {

    double centerX() {
        return bbox[0] + bbox[2] / 2;
    }

    double centerY() {
        return bbox[1] + bbox[3] / 2;
    }
}
