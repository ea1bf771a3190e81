package io.seqvision.tasks.inference;

import io.seqvision.tokenizers.Keypoint;
import io.seqvision.tokenizers.NormalizedPolygon;
import io.seqvision.tokenizers.TokenBox;
import java.util.List;

/**
 * One detected object and what the other tasks said about it; coordinates normalised to [0, 1].
 *
 * @param box            box, class index and score (the class token's probability)
 * @param polygons       its mask as polygons (empty when segmentation did not run for it)
 * @param keypoints      17 COCO keypoints (empty when the keypoint task did not run for it)
 * @param maskTokens     the segmentation response tokens (empty when not run)
 * @param keypointTokens the keypoint response tokens (empty when not run)
 */
public record ObjectOutput(TokenBox box, List<NormalizedPolygon> polygons, List<Keypoint> keypoints,
        int[] maskTokens, int[] keypointTokens) {

    public ObjectOutput {
        polygons = List.copyOf(polygons);
        keypoints = List.copyOf(keypoints);
    }

    static ObjectOutput of(TokenBox box) {
        return new ObjectOutput(box, List.of(), List.of(), new int[0], new int[0]);
    }

    ObjectOutput withMask(List<NormalizedPolygon> newPolygons, int[] tokens) {
        return new ObjectOutput(box, newPolygons, keypoints, tokens, keypointTokens);
    }

    ObjectOutput withKeypoints(List<Keypoint> newKeypoints, int[] tokens) {
        return new ObjectOutput(box, polygons, newKeypoints, maskTokens, tokens);
    }
}
