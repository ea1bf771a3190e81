package io.seqvision.tokenizers;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Pix2Seq sequence augmentation (v1 sec. 3.4): every training sequence is padded to {@code
 * maxObjects} objects with noise objects labelled {@link Vocabulary#NOISE}, so that the model
 * learns when to stop through the noise class rather than an early EOS, and recall at inference
 * no longer hinges on one end token.
 *
 * <p>Noise objects, as Pix2Seq makes them: a random share (uniform in 0..count) are duplicates,
 * copies of real boxes jittered by a truncated normal of standard deviation {@code
 * duplicateJitter / 2} times the box size per side; the others are bad boxes, half of them a real
 * box's size moved to a random centre, half random boxes (uniform centre, sides {@code |N(0,
 * 0.5)|} truncated at 1). All are clipped to [0, 1] and the noise list is shuffled. Real objects
 * come first, in the caller's order.
 *
 * <p>Pure given the {@link Random}: the same seed gives the same sequence.
 */
public final class DetectionSequenceAugmenter {

    private final BoxTokenizer tokenizer;
    private final double duplicateJitter;
    private final float noiseClassWeight;
    private final float endTokenWeight;

    private DetectionSequenceAugmenter(Builder builder) {
        this.tokenizer = builder.tokenizer;
        this.duplicateJitter = builder.duplicateJitter;
        this.noiseClassWeight = builder.noiseClassWeight;
        this.endTokenWeight = builder.endTokenWeight;
    }

    public static Builder builder() {
        return new Builder();
    }

    public BoxTokenizer tokenizer() {
        return tokenizer;
    }

    /**
     * The augmented response: real boxes in the given order, noise objects up to {@code
     * maxObjects}, EOS. Weights: real objects 1, noise coordinates 0, noise class {@code
     * noiseClassWeight} (default 1), EOS {@code endTokenWeight} (default 0.1).
     *
     * @throws IllegalArgumentException as {@link BoxTokenizer#encode(List)} for bad boxes or more
     *     than {@code maxObjects} of them
     */
    public TokenSequence encode(List<TokenBox> boxes, Random random) {
        tokenizer.encode(boxes); // validates before the boxes seed any noise
        List<TokenBox> noise = noiseBoxes(boxes, tokenizer.maxObjects() - boxes.size(), random);
        return tokenizer.encode(boxes, noise, noiseClassWeight, endTokenWeight);
    }

    /**
     * {@code count} noise boxes for the given real boxes; their class index is {@link
     * BoxTokenizer#NOISE_CLASS_INDEX}. With no real boxes, all are random boxes.
     */
    public List<TokenBox> noiseBoxes(List<TokenBox> boxes, int count, Random random) {
        if (count < 0) {
            throw new IllegalArgumentException("noise box count must be >= 0, got " + count);
        }
        int duplicates = boxes.isEmpty() ? 0 : random.nextInt(count + 1);
        List<TokenBox> noise = new ArrayList<>(count);
        for (int i = 0; i < count - duplicates; i++) {
            if (!boxes.isEmpty() && random.nextBoolean()) {
                noise.add(shifted(boxes.get(random.nextInt(boxes.size())), random));
            } else {
                noise.add(randomBox(random));
            }
        }
        for (int i = 0; i < duplicates; i++) {
            noise.add(jittered(boxes.get(random.nextInt(boxes.size())), random));
        }
        Collections.shuffle(noise, random);
        return noise;
    }

    /**
     * A copy of a token sequence for the decoder's <em>input</em>, with every class token (real
     * or NOISE) replaced by a random class or NOISE, half and half (Pix2Seq's {@code
     * rand_n_fake_cls}): the model then cannot copy the class it was fed, so it must predict each
     * class from the image. The targets stay the uncorrupted sequence.
     */
    public int[] corruptedInput(int[] tokens, Random random) {
        Vocabulary vocabulary = tokenizer.vocabulary();
        int[] input = tokens.clone();
        for (int i = 0; i < input.length; i++) {
            if (vocabulary.isClass(input[i]) || input[i] == Vocabulary.NOISE) {
                input[i] = random.nextBoolean()
                        ? vocabulary.classToken(random.nextInt(vocabulary.numClasses()))
                        : Vocabulary.NOISE;
            }
        }
        return input;
    }

    private TokenBox jittered(TokenBox box, Random random) {
        double h = box.ymax() - box.ymin();
        double w = box.xmax() - box.xmin();
        double sigma = duplicateJitter / 2;
        return clippedBox(
                box.ymin() + h * truncatedNormal(random, sigma),
                box.xmin() + w * truncatedNormal(random, sigma),
                box.ymax() + h * truncatedNormal(random, sigma),
                box.xmax() + w * truncatedNormal(random, sigma));
    }

    private static TokenBox shifted(TokenBox box, Random random) {
        return centred(random.nextDouble(), random.nextDouble(),
                box.ymax() - box.ymin(), box.xmax() - box.xmin());
    }

    private static TokenBox randomBox(Random random) {
        double cy = random.nextDouble();
        double cx = random.nextDouble();
        return centred(cy, cx, Math.abs(truncatedNormal(random, 0.5)), Math.abs(truncatedNormal(random, 0.5)));
    }

    private static TokenBox centred(double cy, double cx, double h, double w) {
        return clippedBox(cy - h / 2, cx - w / 2, cy + h / 2, cx + w / 2);
    }

    private static TokenBox clippedBox(double y1, double x1, double y2, double x2) {
        y1 = clip(y1);
        x1 = clip(x1);
        y2 = clip(y2);
        x2 = clip(x2);
        return new TokenBox(Math.min(y1, y2), Math.min(x1, x2), Math.max(y1, y2), Math.max(x1, x2),
                BoxTokenizer.NOISE_CLASS_INDEX);
    }

    private static double clip(double v) {
        return Math.min(1, Math.max(0, v));
    }

    /** A normal sample of standard deviation sigma, redrawn until within two deviations. */
    private static double truncatedNormal(Random random, double sigma) {
        double z;
        do {
            z = random.nextGaussian();
        } while (Math.abs(z) > 2);
        return z * sigma;
    }

    /** Builds a {@link DetectionSequenceAugmenter}; the tokenizer is required. */
    public static final class Builder {
        private BoxTokenizer tokenizer;
        private double duplicateJitter = 0.1;
        private float noiseClassWeight = 1f;
        private float endTokenWeight = 0.1f;

        private Builder() {}

        public Builder setTokenizer(BoxTokenizer tokenizer) {
            this.tokenizer = tokenizer;
            return this;
        }

        /** Largest shift of a duplicate's side, as a fraction of the box size; Pix2Seq's 0.1. */
        public Builder optDuplicateJitter(double duplicateJitter) {
            this.duplicateJitter = duplicateJitter;
            return this;
        }

        /** Loss weight of a noise object's class token; Pix2Seq's default 1. */
        public Builder optNoiseClassWeight(float noiseClassWeight) {
            this.noiseClassWeight = noiseClassWeight;
            return this;
        }

        /** Loss weight of the end token; Pix2Seq's 0.1 (the sequence always runs to the budget). */
        public Builder optEndTokenWeight(float endTokenWeight) {
            this.endTokenWeight = endTokenWeight;
            return this;
        }

        public DetectionSequenceAugmenter build() {
            if (tokenizer == null) {
                throw new IllegalArgumentException("DetectionSequenceAugmenter needs setTokenizer(...)");
            }
            if (!(duplicateJitter >= 0 && duplicateJitter <= 1)) {
                throw new IllegalArgumentException("duplicateJitter must be in [0, 1], got " + duplicateJitter);
            }
            if (!(noiseClassWeight >= 0) || !(endTokenWeight >= 0)) {
                throw new IllegalArgumentException("weights must be >= 0, got noiseClassWeight "
                        + noiseClassWeight + ", endTokenWeight " + endTokenWeight);
            }
            return new DetectionSequenceAugmenter(this);
        }
    }
}
