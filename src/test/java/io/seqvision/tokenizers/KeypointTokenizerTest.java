package io.seqvision.tokenizers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KeypointTokenizerTest {

    private final Vocabulary vocabulary = new Vocabulary(2, 1000, 0);
    private final KeypointTokenizer tokenizer = new KeypointTokenizer(vocabulary);
    private final int c = vocabulary.coordStart();

    private static List<Keypoint> randomKeypoints(Random random) {
        List<Keypoint> points = new ArrayList<>();
        for (int i = 0; i < CocoKeypoints.COUNT; i++) {
            int v = random.nextInt(3);
            points.add(v == 0 ? Keypoint.UNLABELLED : new Keypoint(random.nextDouble(), random.nextDouble(), v));
        }
        return points;
    }

    @Test
    void encodesYxPairsOrInvisiblePairsThenEnd() {
        List<Keypoint> points = new ArrayList<>(Collections.nCopies(17, Keypoint.UNLABELLED));
        points.set(0, new Keypoint(0.2, 0.1, 2));
        points.set(16, new Keypoint(0.5, 0.9, 1));
        TokenSequence s = tokenizer.encode(points);
        assertEquals(35, s.length());
        assertEquals(tokenizer.maxResponseLength(), s.length());
        assertArrayEquals(new int[] {c + 100, c + 200, Vocabulary.INVISIBLE, Vocabulary.INVISIBLE},
                Arrays.copyOf(s.tokens(), 4));
        assertArrayEquals(new int[] {c + 899, c + 500, Vocabulary.EOS}, Arrays.copyOfRange(s.tokens(), 32, 35));
        assertEquals(1f, s.weights()[0]);
        assertEquals(0.1f, s.weights()[2], 1e-7);
        assertEquals(0.1f, s.weights()[3], 1e-7);
        assertEquals(1f, s.weights()[34]);
    }

    @Test
    void promptIsTaskAndPersonBox() {
        assertArrayEquals(new int[] {Vocabulary.PROMPT_KEYPOINTS, c + 100, c + 200, c + 899, c + 599},
                tokenizer.prompt(new TokenBox(0.1, 0.2, 0.9, 0.6, 0)));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> tokenizer.prompt(new TokenBox(0.5, 0.2, 0.1, 0.6, 0))).getMessage().contains("inverted"));
    }

    @Test
    void randomKeypointsRoundTripWithinHalfABinAndPassTheGrammar() {
        Random random = new Random(31);
        double halfBin = 0.5 / 999;
        for (int trial = 0; trial < 500; trial++) {
            List<Keypoint> points = randomKeypoints(random);
            TokenSequence s = tokenizer.encode(points);
            Grammars.assertAccepted(s.tokens(), tokenizer::allowedNext, vocabulary.size());
            List<Keypoint> back = tokenizer.decode(s.tokens());
            assertEquals(17, back.size());
            for (int i = 0; i < 17; i++) {
                Keypoint a = points.get(i);
                Keypoint b = back.get(i);
                assertEquals(a.labelled(), b.labelled(), "keypoint " + i);
                if (a.labelled()) {
                    assertEquals(2, b.visibility());
                    assertEquals(a.x(), b.x(), halfBin + 1e-12);
                    assertEquals(a.y(), b.y(), halfBin + 1e-12);
                }
            }
        }
    }

    @Test
    void decodingTurnsAMalformedTailIntoInvisiblePoints() {
        int[] tokens = {c + 10, c + 20, Vocabulary.INVISIBLE, Vocabulary.INVISIBLE, c + 30, c + 40,
                c + 50, Vocabulary.INVISIBLE, c + 60, c + 70};
        List<Keypoint> back = tokenizer.decode(tokens);
        assertEquals(17, back.size());
        assertTrue(back.get(0).labelled() && !back.get(1).labelled() && back.get(2).labelled());
        for (int i = 3; i < 17; i++) {
            assertFalse(back.get(i).labelled(), "keypoint " + i + " after the mixed pair");
        }
        assertEquals(1, tokenizer.decode(new int[] {c, c, c}).stream().filter(Keypoint::labelled).count());
        assertEquals(1, tokenizer.decode(new int[] {c, c, Vocabulary.EOS, c, c, c}).stream()
                .filter(Keypoint::labelled).count());
        assertTrue(tokenizer.decode(new int[0]).stream().noneMatch(Keypoint::labelled));
    }

    @Test
    void grammarKeepsPairsOfOneKindAndEndsAfterSeventeen() {
        int size = vocabulary.size();
        assertTrue(Grammars.allows(tokenizer::allowedNext, size, new int[0], c));
        assertTrue(Grammars.allows(tokenizer::allowedNext, size, new int[0], Vocabulary.INVISIBLE));
        assertFalse(Grammars.allows(tokenizer::allowedNext, size, new int[0], Vocabulary.EOS));
        assertFalse(Grammars.allows(tokenizer::allowedNext, size, new int[] {c}, Vocabulary.INVISIBLE));
        assertFalse(Grammars.allows(tokenizer::allowedNext, size, new int[] {Vocabulary.INVISIBLE}, c));
        assertTrue(Grammars.allows(tokenizer::allowedNext, size, new int[] {Vocabulary.INVISIBLE}, Vocabulary.INVISIBLE));
        int[] all = new int[34];
        Arrays.fill(all, c);
        assertTrue(Grammars.allows(tokenizer::allowedNext, size, all, Vocabulary.EOS));
        assertFalse(Grammars.allows(tokenizer::allowedNext, size, all, c));
    }

    @Test
    void flipMirrorsXAndSwapsLeftAndRight() {
        Random random = new Random(4);
        List<Keypoint> points = randomKeypoints(random);
        List<Keypoint> flipped = KeypointTokenizer.flipHorizontal(points);
        int[] permutation = CocoKeypoints.flipPermutation();
        for (int i = 0; i < 17; i++) {
            String name = CocoKeypoints.NAMES.get(i);
            String mirrored = name.startsWith("left_") ? name.replace("left_", "right_")
                    : name.replace("right_", "left_");
            assertEquals(CocoKeypoints.indexOf(mirrored), permutation[i], name);
            Keypoint source = points.get(permutation[i]);
            Keypoint target = flipped.get(i);
            assertEquals(source.labelled(), target.labelled());
            if (source.labelled()) {
                assertEquals(1 - source.x(), target.x(), 1e-12);
                assertEquals(source.y(), target.y());
                assertEquals(source.visibility(), target.visibility());
            }
        }
        List<Keypoint> twice = CocoKeypoints.flipHorizontal(flipped);
        for (int i = 0; i < 17; i++) {
            assertEquals(points.get(i).x(), twice.get(i).x(), 1e-12);
        }
        assertEquals(9, CocoKeypoints.indexOf("left_wrist"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CocoKeypoints.indexOf("tail"))
                .getMessage().contains("'tail'"));
    }

    @Test
    void cocoTriplesAreNormalisedByTheImage() {
        double[] xyv = new double[51];
        xyv[0] = 64;
        xyv[1] = 32;
        xyv[2] = 2;
        xyv[3] = 77;
        xyv[4] = 99;
        xyv[5] = 0;
        List<Keypoint> points = CocoKeypoints.fromCoco(xyv, 128, 64);
        assertEquals(new Keypoint(0.5, 0.5, 2), points.get(0));
        assertEquals(Keypoint.UNLABELLED, points.get(1));
        xyv[8] = 3;
        String v = assertThrows(IllegalArgumentException.class, () -> CocoKeypoints.fromCoco(xyv, 128, 64)).getMessage();
        assertTrue(v.contains("keypoint 2 (right_eye)") && v.contains("3"), v);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CocoKeypoints.fromCoco(new double[50], 128, 64))
                .getMessage().contains("51"));
    }

    @Test
    void badKeypointsAreRejectedWithTheirName() {
        List<Keypoint> eighteen = new ArrayList<>(Collections.nCopies(18, Keypoint.UNLABELLED));
        String tooMany = assertThrows(IllegalArgumentException.class, () -> tokenizer.encode(eighteen)).getMessage();
        assertTrue(tooMany.contains("18") && tooMany.contains("more than the sequence allows"), tooMany);
        List<Keypoint> points = new ArrayList<>(Collections.nCopies(17, Keypoint.UNLABELLED));
        points.set(5, new Keypoint(Double.NaN, 0.5, 2));
        String nan = assertThrows(IllegalArgumentException.class, () -> tokenizer.encode(points)).getMessage();
        assertTrue(nan.contains("keypoint 5 (left_shoulder)") && nan.contains("NaN"), nan);
        points.set(5, new Keypoint(0.5, 1.5, 1));
        String outside = assertThrows(IllegalArgumentException.class, () -> tokenizer.encode(points)).getMessage();
        assertTrue(outside.contains("left_shoulder") && outside.contains("1.5"), outside);
        points.set(5, new Keypoint(7, 7, 0));
        assertEquals(35, tokenizer.encode(points).length(), "an unlabelled point's coordinates are ignored");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Keypoint(0, 0, 3))
                .getMessage().contains("visibility"));
    }
}
