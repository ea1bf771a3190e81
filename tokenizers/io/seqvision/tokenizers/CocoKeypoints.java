package io.seqvision.tokenizers;

import java.util.ArrayList;
import java.util.List;

/** The 17 COCO person keypoints: names in the standard order, and the left-right flip. */
public final class CocoKeypoints {

    /** Number of COCO person keypoints. */
    public static final int COUNT = 17;

    /** Names in COCO's order, the order of the response. */
    public static final List<String> NAMES = List.of(
            "nose", "left_eye", "right_eye", "left_ear", "right_ear",
            "left_shoulder", "right_shoulder", "left_elbow", "right_elbow",
            "left_wrist", "right_wrist", "left_hip", "right_hip",
            "left_knee", "right_knee", "left_ankle", "right_ankle");

    /** The COCO skeleton: pairs of 0-based keypoint indices joined by a limb. */
    private static final int[][] SKELETON = {
        {15, 13}, {13, 11}, {16, 14}, {14, 12}, {11, 12}, {5, 11}, {6, 12}, {5, 6}, {5, 7}, {6, 8},
        {7, 9}, {8, 10}, {1, 2}, {0, 1}, {0, 2}, {1, 3}, {2, 4}, {3, 5}, {4, 6}};

    private static final int[] FLIP = {0, 2, 1, 4, 3, 6, 5, 8, 7, 10, 9, 12, 11, 14, 13, 16, 15};

    private CocoKeypoints() {}

    /** The COCO skeleton as 0-based keypoint index pairs (a fresh copy). */
    public static int[][] skeleton() {
        int[][] copy = new int[SKELETON.length][];
        for (int i = 0; i < copy.length; i++) {
            copy[i] = SKELETON[i].clone();
        }
        return copy;
    }

    /**
     * The flip permutation: after a horizontal flip, keypoint {@code i} is the mirrored keypoint
     * {@code flipPermutation()[i]} (the nose stays, left and right swap).
     */
    public static int[] flipPermutation() {
        return FLIP.clone();
    }

    /** The index of a keypoint name, e.g. {@code "left_wrist"} is 9. */
    public static int indexOf(String name) {
        int index = NAMES.indexOf(name);
        if (index < 0) {
            throw new IllegalArgumentException("unknown COCO keypoint name '" + name + "'; valid: " + NAMES);
        }
        return index;
    }

    /**
     * The keypoints of a person in an image mirrored left to right: x becomes {@code 1 - x} and
     * left and right points swap, so that the left wrist is still called left wrist.
     */
    public static List<Keypoint> flipHorizontal(List<Keypoint> keypoints) {
        if (keypoints.size() != COUNT) {
            throw new IllegalArgumentException("expected " + COUNT + " COCO keypoints, got " + keypoints.size());
        }
        List<Keypoint> flipped = new ArrayList<>(COUNT);
        for (int i = 0; i < COUNT; i++) {
            flipped.add(keypoints.get(FLIP[i]).flipHorizontal());
        }
        return flipped;
    }

    /**
     * Keypoints from a COCO annotation's {@code keypoints} array, {@code x, y, v} per point in
     * pixels of an image of this size. Unlabelled points ({@code v = 0}) become {@link
     * Keypoint#UNLABELLED} whatever their coordinates.
     */
    public static List<Keypoint> fromCoco(double[] xyv, double width, double height) {
        if (xyv.length != 3 * COUNT) {
            throw new IllegalArgumentException(
                    "COCO keypoints need " + 3 * COUNT + " values (x, y, v per point), got " + xyv.length);
        }
        if (!(width > 0) || !(height > 0)) {
            throw new IllegalArgumentException("image size must be positive, got " + width + " x " + height);
        }
        List<Keypoint> keypoints = new ArrayList<>(COUNT);
        for (int i = 0; i < COUNT; i++) {
            double v = xyv[3 * i + 2];
            if (v != 0 && v != 1 && v != 2) {
                throw new IllegalArgumentException(
                        "keypoint " + i + " (" + NAMES.get(i) + ") visibility must be 0, 1 or 2, got " + v);
            }
            keypoints.add(v == 0 ? Keypoint.UNLABELLED
                    : new Keypoint(xyv[3 * i] / width, xyv[3 * i + 1] / height, (int) v));
        }
        return keypoints;
    }
}
