package io.seqvision.tokenizers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Boxes as tokens, Pix2Seq style: per object {@code ymin xmin ymax xmax class}, then {@link
 * Vocabulary#EOS}. Encoding and decoding are pure functions; the object order is the caller's
 * (training shuffles it). Sequence augmentation adds noise objects whose class token is {@link
 * Vocabulary#NOISE} (see {@link DetectionSequenceAugmenter}).
 */
public final class BoxTokenizer {

    /** Tokens per object: four coordinates and a class. */
    public static final int TOKENS_PER_OBJECT = 5;

    /** The class index that noise boxes carry; it is never encoded, their class token is NOISE. */
    public static final int NOISE_CLASS_INDEX = -1;

    private final Vocabulary vocabulary;
    private final int maxObjects;

    public BoxTokenizer(Vocabulary vocabulary, int maxObjects) {
        if (maxObjects < 1) {
            throw new IllegalArgumentException("maxObjects must be at least 1, got " + maxObjects);
        }
        this.vocabulary = vocabulary;
        this.maxObjects = maxObjects;
    }

    public Vocabulary vocabulary() {
        return vocabulary;
    }

    public int maxObjects() {
        return maxObjects;
    }

    /** Longest response: every object and the end token. */
    public int maxResponseLength() {
        return TOKENS_PER_OBJECT * maxObjects + 1;
    }

    /** The detection prompt, {@code [PROMPT_DETECTION]}. */
    public int[] prompt() {
        return new int[] {Vocabulary.PROMPT_DETECTION};
    }

    /**
     * Encodes boxes, in the given order, followed by EOS; every token weighs 1.
     *
     * @throws IllegalArgumentException for NaN or out-of-range coordinates, inverted boxes, an
     *     unknown class, or more than {@code maxObjects} boxes
     */
    public TokenSequence encode(List<TokenBox> boxes) {
        return encode(boxes, List.of(), 1f, 1f);
    }

    /**
     * Encodes real objects in the given order, then noise objects with the class token {@link
     * Vocabulary#NOISE}, then EOS. Weights, as Pix2Seq: real objects 1; a noise object's
     * coordinates 0 (nothing can be learnt about where a fake box is) and its class {@code
     * noiseClassWeight} (the model must learn to call it noise); the end token {@code
     * endTokenWeight}.
     *
     * @param noiseBoxes boxes whose {@code classIndex} is ignored
     * @throws IllegalArgumentException for bad coordinates or classes of a real object, bad
     *     coordinates of a noise object, or more than {@code maxObjects} objects in all
     */
    public TokenSequence encode(
            List<TokenBox> boxes, List<TokenBox> noiseBoxes, float noiseClassWeight, float endTokenWeight) {
        int objects = boxes.size() + noiseBoxes.size();
        if (objects > maxObjects) {
            throw new IllegalArgumentException(objects + " objects exceed the sequence budget of "
                    + maxObjects + " objects" + (noiseBoxes.isEmpty() ? "" : " (" + noiseBoxes.size() + " noise)"));
        }
        int[] tokens = new int[objects * TOKENS_PER_OBJECT + 1];
        float[] weights = new float[tokens.length];
        Arrays.fill(weights, 1f);
        int i = 0;
        for (int b = 0; b < boxes.size(); b++) {
            TokenBox box = boxes.get(b);
            i = writeObject(tokens, i, box, classTokenOf(box, "object " + b), "object " + b);
        }
        for (int b = 0; b < noiseBoxes.size(); b++) {
            int start = i;
            i = writeObject(tokens, i, noiseBoxes.get(b), Vocabulary.NOISE, "noise object " + b);
            Arrays.fill(weights, start, start + 4, 0f);
            weights[start + 4] = noiseClassWeight;
        }
        tokens[i] = Vocabulary.EOS;
        weights[i] = endTokenWeight;
        return new TokenSequence(tokens, weights);
    }

    private int classTokenOf(TokenBox box, String name) {
        try {
            return vocabulary.classToken(box.classIndex());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + " " + box + ": " + e.getMessage(), e);
        }
    }

    private int writeObject(int[] tokens, int i, TokenBox box, int classToken, String name) {
        if (box.ymin() > box.ymax() || box.xmin() > box.xmax()) {
            throw new IllegalArgumentException(name + " is inverted: " + box);
        }
        try {
            tokens[i] = vocabulary.coordToken(box.ymin());
            tokens[i + 1] = vocabulary.coordToken(box.xmin());
            tokens[i + 2] = vocabulary.coordToken(box.ymax());
            tokens[i + 3] = vocabulary.coordToken(box.xmax());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + " " + box + ": " + e.getMessage(), e);
        }
        tokens[i + 4] = classToken;
        return i + TOKENS_PER_OBJECT;
    }

    /**
     * Decodes a generated response into boxes. Objects whose class token is NOISE are skipped.
     * Reading stops at EOS, at a token of the wrong kind for its position, or at an incomplete
     * object: whatever follows is dropped, so a malformed tail costs only the objects it spoils. A
     * box's score is the probability of its class token.
     *
     * @param probabilities per token probability, or {@code null} for scores of 1
     */
    public List<TokenBox> decode(int[] tokens, float[] probabilities) {
        List<TokenBox> boxes = new ArrayList<>();
        for (int start = 0; start + TOKENS_PER_OBJECT <= tokens.length; start += TOKENS_PER_OBJECT) {
            if (!isObjectAt(tokens, start)) {
                break;
            }
            if (tokens[start + 4] == Vocabulary.NOISE) {
                continue;
            }
            double y1 = vocabulary.coordOf(tokens[start]);
            double x1 = vocabulary.coordOf(tokens[start + 1]);
            double y2 = vocabulary.coordOf(tokens[start + 2]);
            double x2 = vocabulary.coordOf(tokens[start + 3]);
            int cls = vocabulary.classIndexOf(tokens[start + 4]);
            double score = probabilities == null ? 1.0 : probabilities[start + 4];
            boxes.add(new TokenBox(
                    Math.min(y1, y2), Math.min(x1, x2), Math.max(y1, y2), Math.max(x1, x2), cls, score));
        }
        return boxes;
    }

    private boolean isObjectAt(int[] tokens, int start) {
        for (int k = 0; k < 4; k++) {
            if (!vocabulary.isCoord(tokens[start + k])) {
                return false;
            }
        }
        int classToken = tokens[start + 4];
        return vocabulary.isClass(classToken) || classToken == Vocabulary.NOISE;
    }

    /**
     * The grammar of a response at inference, for constrained decoding: marks in {@code allowed}
     * (length {@code vocabulary.size()}) the tokens that may follow {@code generated}. The NOISE
     * class is not allowed.
     */
    public void allowedNext(int[] generated, boolean[] allowed) {
        allowedNext(generated, allowed, false);
    }

    /**
     * The grammar of a response: four coordinates, then a class (or NOISE when {@code
     * allowNoise}, as in augmented training sequences), repeated at most {@code maxObjects} times;
     * EOS may come between objects.
     */
    public void allowedNext(int[] generated, boolean[] allowed, boolean allowNoise) {
        Arrays.fill(allowed, false);
        int position = generated.length % TOKENS_PER_OBJECT;
        int objects = generated.length / TOKENS_PER_OBJECT;
        if (position == 4) {
            Arrays.fill(allowed, vocabulary.classStart(), vocabulary.coordStart(), true);
            allowed[Vocabulary.NOISE] = allowNoise;
            return;
        }
        if (position == 0) {
            allowed[Vocabulary.EOS] = true;
            if (objects >= maxObjects) {
                return;
            }
        }
        Arrays.fill(allowed, vocabulary.coordStart(), vocabulary.textStart(), true);
    }
}
