package io.seqvision.tasks.data.coco;

/**
 * One keypoint of a COCO person annotation.
 *
 * @param visibility 0 = not labelled (then x = y = 0), 1 = labelled but occluded, 2 = labelled and visible
 */
public record CocoKeypoint(double x, double y, int visibility) {

    /** @return whether the point is labelled ({@code visibility > 0}) */
    public boolean labelled() {
        return visibility > 0;
    }
}
