package io.seqvision.web.api;

import io.seqvision.tokenizers.CocoKeypoints;
import java.util.List;

/**
 * How to draw keypoints: their names in order and the skeleton's bones as pairs of 0-based
 * keypoint indices.
 */
public record KeypointLayout(List<String> names, List<List<Integer>> skeleton) {

    /**
     * COCO's person: the 17 keypoints and the 19 bones of {@code person_keypoints_*.json}'s
     * {@code skeleton} (there 1-based), here 0-based.
     */
    public static final KeypointLayout COCO = new KeypointLayout(CocoKeypoints.NAMES, List.of(
            List.of(15, 13), List.of(13, 11), List.of(16, 14), List.of(14, 12), List.of(11, 12),
            List.of(5, 11), List.of(6, 12), List.of(5, 6), List.of(5, 7), List.of(6, 8),
            List.of(7, 9), List.of(8, 10), List.of(1, 2), List.of(0, 1), List.of(0, 2),
            List.of(1, 3), List.of(2, 4), List.of(3, 5), List.of(4, 6)));

    public KeypointLayout {
        names = List.copyOf(names);
        skeleton = skeleton.stream().map(List::copyOf).toList();
        int count = names.size();
        for (List<Integer> bone : skeleton) {
            if (bone.size() != 2 || bone.stream().anyMatch(i -> i < 0 || i >= count)) {
                throw new IllegalArgumentException("a bone joins two of the " + names.size() + " keypoints, got " + bone);
            }
        }
    }
}
