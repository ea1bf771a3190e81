package io.seqvision.tokenizers;

/**
 * One keypoint, normalised to [0, 1] by the image's width ({@code x}) and height ({@code y}), with
 * COCO's visibility flag: 0 not labelled (coordinates ignored), 1 labelled but occluded, 2
 * labelled and visible. Decoded keypoints have visibility 2, or 0 where the model said invisible.
 */
public record Keypoint(double x, double y, int visibility) {

    /** An unlabelled keypoint. */
    public static final Keypoint UNLABELLED = new Keypoint(0, 0, 0);

    public Keypoint {
        if (visibility < 0 || visibility > 2) {
            throw new IllegalArgumentException("keypoint visibility must be 0, 1 or 2, got " + visibility);
        }
    }

    public boolean labelled() {
        return visibility > 0;
    }

    /** Mirrored left to right; an unlabelled point stays as it is. */
    public Keypoint flipHorizontal() {
        return labelled() ? new Keypoint(1 - x, y, visibility) : this;
    }
}
