package io.seqvision.tasks.inference;

import java.util.List;

/**
 * Everything the model produced for one image.
 *
 * @param objects          detected (or given) objects, in the order the detection sequence lists them
 * @param detectionTokens  the detection response (prompt excluded; empty when detection did not run)
 * @param detectionEnded   whether detection ended with EOS (rather than at its length budget)
 * @param caption          the caption, or null when captioning did not run
 * @param captionTokens    the caption response tokens (empty when not run)
 */
public record ImageOutput(List<ObjectOutput> objects, int[] detectionTokens, float[] detectionProbabilities,
        boolean detectionEnded, String caption, int[] captionTokens) {

    public ImageOutput {
        objects = List.copyOf(objects);
    }
}
