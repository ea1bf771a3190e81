package io.seqvision.tokenizers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A person's COCO keypoints as tokens, Pix2Seq v2 style. Prompt: {@code PROMPT_KEYPOINTS ymin xmin
 * ymax xmax} (the person's box). Response: the 17 keypoints in {@link CocoKeypoints#NAMES} order,
 * each a quantised {@code y x} pair or {@code INVISIBLE INVISIBLE} when unlabelled, then EOS.
 * Coordinates are normalised by the whole image, as boxes are, not by the person's box.
 *
 * <p>Weights: coordinates and EOS 1, invisible tokens 0.1 (Pix2Seq: an unlabelled point may well
 * be in view, so calling it invisible is only weakly taught). Labelled-but-occluded points
 * (visibility 1) are encoded as coordinates, like visible ones.
 */
public final class KeypointTokenizer {

    /** Prompt length: task and four box coordinates. */
    public static final int PROMPT_LENGTH = 5;

    /** Loss weight of an INVISIBLE token. */
    public static final float INVISIBLE_WEIGHT = 0.1f;

    private static final int RESPONSE_TOKENS = 2 * CocoKeypoints.COUNT;

    private final Vocabulary vocabulary;

    public KeypointTokenizer(Vocabulary vocabulary) {
        this.vocabulary = vocabulary;
    }

    public Vocabulary vocabulary() {
        return vocabulary;
    }

    /** Always {@code 2 * 17 + 1}: every keypoint and EOS. */
    public int maxResponseLength() {
        return RESPONSE_TOKENS + 1;
    }

    /**
     * {@code [PROMPT_KEYPOINTS, ymin, xmin, ymax, xmax]} for the person's box (its class is not
     * part of the prompt).
     */
    public int[] prompt(TokenBox personBox) {
        return BoxPrompts.of(vocabulary, Vocabulary.PROMPT_KEYPOINTS, personBox, false);
    }

    /**
     * Encodes exactly 17 keypoints in COCO order.
     *
     * @throws IllegalArgumentException for another number of keypoints, or a labelled keypoint
     *     with NaN or out-of-range coordinates (the message names it)
     */
    public TokenSequence encode(List<Keypoint> keypoints) {
        if (keypoints.size() != CocoKeypoints.COUNT) {
            throw new IllegalArgumentException("expected " + CocoKeypoints.COUNT + " COCO keypoints, got "
                    + keypoints.size() + (keypoints.size() > CocoKeypoints.COUNT ? ": more than the sequence allows" : ""));
        }
        int[] tokens = new int[RESPONSE_TOKENS + 1];
        float[] weights = new float[tokens.length];
        Arrays.fill(weights, 1f);
        for (int i = 0; i < CocoKeypoints.COUNT; i++) {
            Keypoint point = keypoints.get(i);
            if (point == null) {
                throw new IllegalArgumentException("keypoint " + i + " (" + CocoKeypoints.NAMES.get(i) + ") is null");
            }
            if (!point.labelled()) {
                tokens[2 * i] = Vocabulary.INVISIBLE;
                tokens[2 * i + 1] = Vocabulary.INVISIBLE;
                weights[2 * i] = INVISIBLE_WEIGHT;
                weights[2 * i + 1] = INVISIBLE_WEIGHT;
                continue;
            }
            try {
                tokens[2 * i] = vocabulary.coordToken(point.y());
                tokens[2 * i + 1] = vocabulary.coordToken(point.x());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("keypoint " + i + " (" + CocoKeypoints.NAMES.get(i) + ") "
                        + point + ": " + e.getMessage(), e);
            }
        }
        tokens[RESPONSE_TOKENS] = Vocabulary.EOS;
        return new TokenSequence(tokens, weights);
    }

    /**
     * Decodes a response into 17 keypoints: a coordinate pair gives a point of visibility 2,
     * {@code INVISIBLE INVISIBLE} an unlabelled one. Reading stops at the first pair that is
     * neither (EOS, a mixed or foreign pair, the end of the tokens); the points from there on are
     * unlabelled.
     */
    public List<Keypoint> decode(int[] tokens) {
        List<Keypoint> keypoints = new ArrayList<>(CocoKeypoints.COUNT);
        boolean reading = true;
        for (int i = 0; i < CocoKeypoints.COUNT; i++) {
            int at = 2 * i;
            reading = reading && at + 1 < tokens.length;
            if (reading && vocabulary.isCoord(tokens[at]) && vocabulary.isCoord(tokens[at + 1])) {
                keypoints.add(new Keypoint(vocabulary.coordOf(tokens[at + 1]), vocabulary.coordOf(tokens[at]), 2));
                continue;
            }
            reading = reading && tokens[at] == Vocabulary.INVISIBLE && tokens[at + 1] == Vocabulary.INVISIBLE;
            keypoints.add(Keypoint.UNLABELLED);
        }
        return keypoints;
    }

    /** Mirrors a person's keypoints left to right; see {@link CocoKeypoints#flipHorizontal}. */
    public static List<Keypoint> flipHorizontal(List<Keypoint> keypoints) {
        return CocoKeypoints.flipHorizontal(keypoints);
    }

    /**
     * The grammar of a response: per keypoint a coordinate pair or an INVISIBLE pair (the second
     * token matches the first), 17 of them, then EOS.
     */
    public void allowedNext(int[] generated, boolean[] allowed) {
        Arrays.fill(allowed, false);
        int position = generated.length;
        if (position >= RESPONSE_TOKENS) {
            allowed[Vocabulary.EOS] = true;
            return;
        }
        int previous = position % 2 == 1 ? generated[position - 1] : -1;
        if (previous == -1 || previous == Vocabulary.INVISIBLE) {
            allowed[Vocabulary.INVISIBLE] = true;
        }
        if (previous == -1 || vocabulary.isCoord(previous)) {
            Arrays.fill(allowed, vocabulary.coordStart(), vocabulary.textStart(), true);
        }
        if (previous != -1 && previous != Vocabulary.INVISIBLE && !vocabulary.isCoord(previous)) {
            allowed[Vocabulary.EOS] = true; // off the grammar already: let the sequence end
        }
    }
}
