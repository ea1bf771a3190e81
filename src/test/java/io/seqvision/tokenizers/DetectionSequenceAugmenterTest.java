package io.seqvision.tokenizers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DetectionSequenceAugmenterTest {

    private final Vocabulary vocabulary = new Vocabulary(5, 1000, 0);
    private final BoxTokenizer tokenizer = new BoxTokenizer(vocabulary, 20);
    private final DetectionSequenceAugmenter augmenter =
            DetectionSequenceAugmenter.builder().setTokenizer(tokenizer).build();

    private static List<TokenBox> randomBoxes(Random random, int n, int classes) {
        List<TokenBox> boxes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double y1 = random.nextDouble() * 0.8;
            double x1 = random.nextDouble() * 0.8;
            boxes.add(new TokenBox(y1, x1, y1 + 0.02 + random.nextDouble() * (0.98 - y1 - 0.02) * 0.5,
                    x1 + 0.02 + random.nextDouble() * (0.98 - x1 - 0.02) * 0.5, random.nextInt(classes)));
        }
        return boxes;
    }

    @Test
    void padsToTheBudgetWithNoiseAfterTheRealObjectsWeightedAsPix2Seq() {
        Random random = new Random(5);
        for (int trial = 0; trial < 200; trial++) {
            List<TokenBox> boxes = randomBoxes(random, random.nextInt(21), 5);
            TokenSequence plain = tokenizer.encode(boxes);
            TokenSequence s = augmenter.encode(boxes, random);
            int[] t = s.tokens();
            float[] w = s.weights();
            assertEquals(tokenizer.maxResponseLength(), s.length());
            int real = boxes.size() * 5;
            assertArrayEquals(Arrays.copyOf(plain.tokens(), real), Arrays.copyOf(t, real));
            for (int i = 0; i < real; i++) {
                assertEquals(1f, w[i]);
            }
            for (int start = real; start < t.length - 1; start += 5) {
                for (int k = 0; k < 4; k++) {
                    assertTrue(vocabulary.isCoord(t[start + k]));
                    assertEquals(0f, w[start + k], "noise coordinates weigh 0");
                }
                assertEquals(Vocabulary.NOISE, t[start + 4]);
                assertEquals(1f, w[start + 4], "noise class weighs 1");
                double y1 = vocabulary.coordOf(t[start]);
                double x1 = vocabulary.coordOf(t[start + 1]);
                assertTrue(y1 <= vocabulary.coordOf(t[start + 2]) && x1 <= vocabulary.coordOf(t[start + 3]));
            }
            assertEquals(Vocabulary.EOS, t[t.length - 1]);
            assertEquals(0.1f, w[w.length - 1], 1e-7);
            assertEquals(tokenizer.decode(plain.tokens(), null), tokenizer.decode(t, null),
                    "decoding skips the noise objects");
            Grammars.assertAccepted(t, (g, a) -> tokenizer.allowedNext(g, a, true), vocabulary.size());
        }
    }

    @Test
    void theSameSeedGivesTheSameSequence() {
        List<TokenBox> boxes = randomBoxes(new Random(1), 3, 5);
        TokenSequence a = augmenter.encode(boxes, new Random(42));
        TokenSequence b = augmenter.encode(boxes, new Random(42));
        TokenSequence c = augmenter.encode(boxes, new Random(43));
        assertEquals(a, b);
        assertNotEquals(a, c);
    }

    @Test
    void aboutHalfTheNoiseDuplicatesRealBoxesAndTheRestLandsElsewhere() {
        TokenBox real = new TokenBox(0.3, 0.4, 0.6, 0.7, 2);
        Random random = new Random(9);
        int duplicates = 0;
        int total = 0;
        for (int trial = 0; trial < 300; trial++) {
            for (TokenBox noise : augmenter.noiseBoxes(List.of(real), 19, random)) {
                assertEquals(BoxTokenizer.NOISE_CLASS_INDEX, noise.classIndex());
                assertTrue(noise.ymin() >= 0 && noise.xmin() >= 0 && noise.ymax() <= 1 && noise.xmax() <= 1);
                duplicates += iou(noise, real) > 0.7 ? 1 : 0;
                total++;
            }
        }
        double share = duplicates / (double) total;
        assertTrue(share > 0.4 && share < 0.6, "share of near duplicates " + share);
    }

    @Test
    void withNoRealBoxesAllNoiseIsRandom() {
        TokenSequence s = augmenter.encode(List.of(), new Random(3));
        assertEquals(tokenizer.maxResponseLength(), s.length());
        assertTrue(tokenizer.decode(s.tokens(), null).isEmpty());
    }

    @Test
    void inferenceGrammarRefusesNoiseAndTrainingGrammarAcceptsIt() {
        int c = vocabulary.coordStart();
        int[] fourCoordinates = {c, c, c + 1, c + 1};
        assertFalse(Grammars.allows(tokenizer::allowedNext, vocabulary.size(), fourCoordinates, Vocabulary.NOISE));
        assertTrue(Grammars.allows((g, a) -> tokenizer.allowedNext(g, a, true), vocabulary.size(),
                fourCoordinates, Vocabulary.NOISE));
        assertFalse(Grammars.allows((g, a) -> tokenizer.allowedNext(g, a, true), vocabulary.size(),
                new int[] {c}, Vocabulary.NOISE), "NOISE only at class positions");
    }

    @Test
    void corruptedInputReplacesOnlyClassTokens() {
        Random random = new Random(2);
        List<TokenBox> boxes = randomBoxes(random, 6, 5);
        int[] target = augmenter.encode(boxes, random).tokens();
        int[] input = augmenter.corruptedInput(target, random);
        int noise = 0;
        int classes = 0;
        for (int i = 0; i < target.length; i++) {
            if (i % 5 == 4 && i < target.length - 1) {
                assertTrue(vocabulary.isClass(input[i]) || input[i] == Vocabulary.NOISE);
                noise += input[i] == Vocabulary.NOISE ? 1 : 0;
                classes++;
            } else {
                assertEquals(target[i], input[i]);
            }
        }
        assertTrue(noise > 3 && noise < classes - 3, noise + " of " + classes + " became NOISE");
    }

    @Test
    void badInputIsRejectedBeforeNoiseIsMade() {
        List<TokenBox> tooMany = randomBoxes(new Random(4), 21, 5);
        String message = assertThrows(IllegalArgumentException.class,
                () -> augmenter.encode(tooMany, new Random(1))).getMessage();
        assertTrue(message.contains("21 objects exceed") && message.contains("20"), message);
        String nan = assertThrows(IllegalArgumentException.class, () -> augmenter.encode(
                List.of(new TokenBox(0, Double.NaN, 1, 1, 0)), new Random(1))).getMessage();
        assertTrue(nan.contains("object 0") && nan.contains("NaN"), nan);
        String noTokenizer = assertThrows(IllegalArgumentException.class,
                () -> DetectionSequenceAugmenter.builder().build()).getMessage();
        assertTrue(noTokenizer.contains("setTokenizer"), noTokenizer);
    }

    private static double iou(TokenBox a, TokenBox b) {
        double h = Math.max(0, Math.min(a.ymax(), b.ymax()) - Math.max(a.ymin(), b.ymin()));
        double w = Math.max(0, Math.min(a.xmax(), b.xmax()) - Math.max(a.xmin(), b.xmin()));
        double inter = h * w;
        double union = (a.ymax() - a.ymin()) * (a.xmax() - a.xmin()) + (b.ymax() - b.ymin()) * (b.xmax() - b.xmin()) - inter;
        return union <= 0 ? 0 : inter / union;
    }
}
