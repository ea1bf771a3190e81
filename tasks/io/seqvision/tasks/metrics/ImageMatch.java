package io.seqvision.tasks.metrics;

/**
 * COCOeval.evaluateImg's result for one image, category and area range: the fate of each kept
 * detection at each IoU threshold, plus how many ground truths count towards recall.
 */
final class ImageMatch {

    static final byte FALSE_POSITIVE = 0;
    static final byte TRUE_POSITIVE = 1;
    static final byte IGNORED = 2;

    /** Scores of the kept detections, highest first. */
    final double[] scores;
    /** {@code [threshold][detection]}: one of FALSE_POSITIVE, TRUE_POSITIVE, IGNORED. */
    final byte[][] outcomes;
    /** Ground truths that are neither crowd nor outside the area range (COCO's npig share). */
    final int countedGroundTruths;

    ImageMatch(double[] scores, byte[][] outcomes, int countedGroundTruths) {
        this.scores = scores;
        this.outcomes = outcomes;
        this.countedGroundTruths = countedGroundTruths;
    }
}
