package io.seqvision.tasks.api;

/**
 * One COCO keypoint of a person, in pixels of the image given.
 *
 * @param name    COCO's name ("nose", "left_eye", ...)
 * @param visible false when the model said the point is not labelled (x and y are then 0)
 */
public record PosePoint(String name, double x, double y, boolean visible) {}
