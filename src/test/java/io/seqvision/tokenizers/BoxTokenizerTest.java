package io.seqvision.tokenizers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BoxTokenizerTest {

    private final Vocabulary vocabulary = new Vocabulary(3, 11, 0);
    private final BoxTokenizer tokenizer = new BoxTokenizer(vocabulary, 4);

    @Test
    void encodesYxYxClassThenEnd() {
        TokenSequence s = tokenizer.encode(List.of(new TokenBox(0.1, 0.2, 0.5, 0.9, 2)));
        int c = vocabulary.coordStart();
        assertArrayEquals(new int[] {c + 1, c + 2, c + 5, c + 9, 32, Vocabulary.EOS}, s.tokens());
        assertArrayEquals(new float[] {1, 1, 1, 1, 1, 1}, s.weights());
    }

    @Test
    void randomBoxesRoundTripWithinHalfABin() {
        Vocabulary fine = new Vocabulary(7, 1000, 0);
        BoxTokenizer t = new BoxTokenizer(fine, 20);
        Random random = new Random(11);
        double halfBin = 0.5 / 999;
        for (int trial = 0; trial < 500; trial++) {
            List<TokenBox> boxes = new ArrayList<>();
            int n = random.nextInt(21);
            for (int i = 0; i < n; i++) {
                double y1 = random.nextDouble();
                double x1 = random.nextDouble();
                boxes.add(new TokenBox(y1, x1, y1 + (1 - y1) * random.nextDouble(),
                        x1 + (1 - x1) * random.nextDouble(), random.nextInt(7)));
            }
            List<TokenBox> back = t.decode(t.encode(boxes).tokens(), null);
            assertEquals(boxes.size(), back.size());
            for (int i = 0; i < n; i++) {
                TokenBox a = boxes.get(i);
                TokenBox b = back.get(i);
                assertEquals(a.classIndex(), b.classIndex());
                assertEquals(a.ymin(), b.ymin(), halfBin + 1e-12);
                assertEquals(a.xmin(), b.xmin(), halfBin + 1e-12);
                assertEquals(a.ymax(), b.ymax(), halfBin + 1e-12);
                assertEquals(a.xmax(), b.xmax(), halfBin + 1e-12);
            }
        }
    }

    @Test
    void decodingStopsAtAMalformedTailAndKeepsWhatCameBefore() {
        int c = vocabulary.coordStart();
        int[] tokens = {c + 1, c + 2, c + 5, c + 9, 30, c + 1, c + 2, 31, c + 3, 30};
        float[] probabilities = {1, 1, 1, 1, 0.75f, 1, 1, 1, 1, 1};
        List<TokenBox> boxes = tokenizer.decode(tokens, probabilities);
        assertEquals(1, boxes.size());
        assertEquals(0.75, boxes.get(0).score(), 1e-6);
        assertEquals(0, tokenizer.decode(new int[] {c, c, c}, null).size());
        assertEquals(1, tokenizer.decode(new int[] {c, c, c + 1, c + 1, 30, Vocabulary.EOS, c, c, c, c, 30}, null).size());
    }

    @Test
    void decodingOrdersSwappedCorners() {
        int c = vocabulary.coordStart();
        TokenBox box = tokenizer.decode(new int[] {c + 8, c + 9, c + 2, c + 1, 31}, null).get(0);
        assertEquals(0.2, box.ymin(), 1e-9);
        assertEquals(0.1, box.xmin(), 1e-9);
        assertEquals(0.8, box.ymax(), 1e-9);
        assertEquals(0.9, box.xmax(), 1e-9);
    }

    @Test
    void grammarAllowsCoordinatesThenAClassThenEndOrMore() {
        boolean[] allowed = new boolean[vocabulary.size()];
        int c = vocabulary.coordStart();
        tokenizer.allowedNext(new int[0], allowed);
        assertTrue(allowed[Vocabulary.EOS]);
        assertTrue(allowed[c]);
        assertFalse(allowed[30]);
        tokenizer.allowedNext(new int[] {c, c, c, c}, allowed);
        assertTrue(allowed[30] && allowed[32]);
        assertFalse(allowed[c] || allowed[Vocabulary.EOS]);
        tokenizer.allowedNext(new int[] {c, c}, allowed);
        assertFalse(allowed[Vocabulary.EOS] || allowed[30]);
        int[] full = new int[20];
        tokenizer.allowedNext(full, allowed);
        assertTrue(allowed[Vocabulary.EOS]);
        assertFalse(allowed[c], "after maxObjects only the end may follow");
    }

    @Test
    void badInputIsRejectedWithItsObject() {
        String nan = assertThrows(IllegalArgumentException.class,
                () -> tokenizer.encode(List.of(new TokenBox(Double.NaN, 0, 1, 1, 0)))).getMessage();
        assertTrue(nan.contains("object 0") && nan.contains("NaN"), nan);
        String outside = assertThrows(IllegalArgumentException.class,
                () -> tokenizer.encode(List.of(new TokenBox(0, 0, 1.2, 1, 0)))).getMessage();
        assertTrue(outside.contains("1.2"), outside);
        String unknown = assertThrows(IllegalArgumentException.class,
                () -> tokenizer.encode(List.of(new TokenBox(0, 0, 1, 1, 9)))).getMessage();
        assertTrue(unknown.contains("unknown class index 9"), unknown);
        List<TokenBox> five = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            five.add(new TokenBox(0, 0, 1, 1, 0));
        }
        String tooMany = assertThrows(IllegalArgumentException.class, () -> tokenizer.encode(five)).getMessage();
        assertTrue(tooMany.contains("5 objects exceed") && tooMany.contains("4"), tooMany);
        String inverted = assertThrows(IllegalArgumentException.class,
                () -> tokenizer.encode(List.of(new TokenBox(0.5, 0, 0.2, 1, 0)))).getMessage();
        assertTrue(inverted.contains("inverted"), inverted);
    }

    @Test
    void everyEncodedSequenceIsAcceptedByTheGrammar() {
        Vocabulary fine = new Vocabulary(7, 100, 0);
        BoxTokenizer t = new BoxTokenizer(fine, 6);
        Random random = new Random(17);
        for (int trial = 0; trial < 200; trial++) {
            List<TokenBox> boxes = new ArrayList<>();
            for (int i = random.nextInt(7); i > 0; i--) {
                double y = random.nextDouble() * 0.5;
                double x = random.nextDouble() * 0.5;
                boxes.add(new TokenBox(y, x, y + random.nextDouble() * 0.5, x + random.nextDouble() * 0.5, random.nextInt(7)));
            }
            Grammars.assertAccepted(t.encode(boxes).tokens(), t::allowedNext, fine.size());
        }
    }

    @Test
    void decodingSkipsNoiseObjectsAndKeepsScoresOfRealOnes() {
        int c = vocabulary.coordStart();
        int[] tokens = {c, c, c + 2, c + 2, Vocabulary.NOISE, c + 1, c + 1, c + 3, c + 3, 31, c, c + 1, Vocabulary.NOISE};
        float[] probabilities = new float[tokens.length];
        Arrays.fill(probabilities, 0.5f);
        probabilities[9] = 0.9f;
        List<TokenBox> boxes = tokenizer.decode(tokens, probabilities);
        assertEquals(1, boxes.size());
        assertEquals(1, boxes.get(0).classIndex());
        assertEquals(0.9, boxes.get(0).score(), 1e-6);
    }

    @Test
    void noiseWeightsFollowPix2Seq() {
        TokenSequence s = tokenizer.encode(List.of(new TokenBox(0, 0, 0.5, 0.5, 1)),
                List.of(new TokenBox(0.1, 0.1, 0.2, 0.2, BoxTokenizer.NOISE_CLASS_INDEX)), 1f, 0.1f);
        assertArrayEquals(new float[] {1, 1, 1, 1, 1, 0, 0, 0, 0, 1, 0.1f}, s.weights());
        assertEquals(Vocabulary.NOISE, s.tokens()[9]);
        String bad = assertThrows(IllegalArgumentException.class, () -> tokenizer.encode(List.of(),
                List.of(new TokenBox(0.1, 0.1, 1.5, 0.2, -1)), 1f, 0.1f)).getMessage();
        assertTrue(bad.contains("noise object 0") && bad.contains("1.5"), bad);
    }

    @Test
    void promptIsTheDetectionToken() {
        assertArrayEquals(new int[] {Vocabulary.PROMPT_DETECTION}, tokenizer.prompt());
        TokenSequence full = tokenizer.encode(List.of()).withPrompt(tokenizer.prompt());
        assertArrayEquals(new int[] {Vocabulary.PROMPT_DETECTION, Vocabulary.EOS}, full.tokens());
        assertArrayEquals(new float[] {0, 1}, full.weights());
    }
}
