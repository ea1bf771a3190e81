package io.seqvision.tokenizers;

/**
 * A box with its class, in coordinates normalised to [0, 1] by the image's width and height.
 *
 * @param score the model's confidence for decoded boxes; 1 for ground truth
 */
public record TokenBox(double ymin, double xmin, double ymax, double xmax, int classIndex, double score) {

    public TokenBox(double ymin, double xmin, double ymax, double xmax, int classIndex) {
        this(ymin, xmin, ymax, xmax, classIndex, 1.0);
    }

    /** The same box mirrored left to right. */
    public TokenBox flipHorizontal() {
        return new TokenBox(ymin, 1 - xmax, ymax, 1 - xmin, classIndex, score);
    }
}
