package io.seqvision.tokenizers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MaskTokenizerTest {

    private final Vocabulary vocabulary = new Vocabulary(4, 1000, 0);
    private final MaskTokenizer tokenizer = new MaskTokenizer(vocabulary);
    private final int c = vocabulary.coordStart();

    @Test
    void encodesYxPairsJoinedBySeparatorThenEnd() {
        Vocabulary coarse = new Vocabulary(2, 11, 0);
        MaskTokenizer t = new MaskTokenizer(coarse, 16);
        int k = coarse.coordStart();
        NormalizedPolygon square = new NormalizedPolygon(new double[] {0.1, 0.2, 0.5, 0.2, 0.5, 0.6, 0.1, 0.6});
        NormalizedPolygon triangle = new NormalizedPolygon(new double[] {0.7, 0.7, 0.9, 0.7, 0.8, 0.9});
        TokenSequence s = t.encode(List.of(square, triangle));
        assertArrayEquals(new int[] {k + 2, k + 1, k + 2, k + 5, k + 6, k + 5, k + 6, k + 1, Vocabulary.SEPARATOR,
                k + 7, k + 7, k + 7, k + 9, k + 9, k + 8, Vocabulary.EOS}, s.tokens());
        for (float w : s.weights()) {
            assertEquals(1f, w);
        }
        assertArrayEquals(new int[] {Vocabulary.EOS}, t.encode(List.of()).tokens());
    }

    @Test
    void everyStartingVertexAndDirectionGivesTheSameCanonicalSequence() {
        Vocabulary coarse = new Vocabulary(2, 11, 0);
        MaskTokenizer t = new MaskTokenizer(coarse, 16);
        int k = coarse.coordStart();
        double[][] corners = {{0.1, 0.2}, {0.5, 0.2}, {0.5, 0.6}, {0.1, 0.6}};
        int[] expected = {k + 2, k + 1, k + 2, k + 5, k + 6, k + 5, k + 6, k + 1, Vocabulary.EOS};
        for (int start = 0; start < 4; start++) {
            for (int direction : new int[] {1, -1}) {
                double[] xy = new double[8];
                for (int i = 0; i < 4; i++) {
                    double[] corner = corners[Math.floorMod(start + direction * i, 4)];
                    xy[2 * i] = corner[0];
                    xy[2 * i + 1] = corner[1];
                }
                assertArrayEquals(expected, t.encode(List.of(new NormalizedPolygon(xy))).tokens(),
                        "start " + start + ", direction " + direction);
            }
        }
        // two polygons come in the order of their top-most vertices, whatever order they are given in
        NormalizedPolygon low = new NormalizedPolygon(new double[] {0.7, 0.7, 0.9, 0.7, 0.8, 0.9});
        NormalizedPolygon high = new NormalizedPolygon(new double[] {0.1, 0.2, 0.5, 0.2, 0.5, 0.6});
        assertArrayEquals(t.encode(List.of(high, low)).tokens(), t.encode(List.of(low, high)).tokens());
    }

    @Test
    void promptIsTaskBoxAndClass() {
        int[] prompt = tokenizer.prompt(new TokenBox(0.1, 0.2, 0.3, 0.4, 3));
        assertArrayEquals(new int[] {Vocabulary.PROMPT_SEGMENTATION, c + 100, c + 200, c + 300, c + 400, 33}, prompt);
        assertEquals(MaskTokenizer.PROMPT_LENGTH, prompt.length);
        String unknown = assertThrows(IllegalArgumentException.class,
                () -> tokenizer.prompt(new TokenBox(0, 0, 1, 1, 4))).getMessage();
        assertTrue(unknown.contains("unknown class index 4"), unknown);
        String nan = assertThrows(IllegalArgumentException.class,
                () -> tokenizer.prompt(new TokenBox(0, Double.NaN, 1, 1, 0))).getMessage();
        assertTrue(nan.contains("prompt box") && nan.contains("NaN"), nan);
    }

    @Test
    void verticesRoundTripWithinHalfABinWhenNoSimplificationIsNeeded() {
        Random random = new Random(21);
        double halfBin = 0.5 / 999;
        for (int trial = 0; trial < 300; trial++) {
            List<NormalizedPolygon> polygons = new ArrayList<>();
            for (int p = 1 + random.nextInt(3); p > 0; p--) {
                polygons.add(Shapes.shape(random.nextInt(4), random, 128 + random.nextInt(129), 128 + random.nextInt(129)));
            }
            List<NormalizedPolygon> back = tokenizer.decode(tokenizer.encode(polygons).tokens());
            assertEquals(polygons.size(), back.size());
            // the response lists polygons and vertices in canonical order: match each up to that
            for (NormalizedPolygon a : polygons) {
                assertTrue(back.stream().anyMatch(b -> sameCycle(a, b, halfBin + 1e-12)),
                        "trial " + trial + ": no decoded polygon matches " + a);
            }
        }
    }

    /** Whether b is a's vertex cycle, from any start and in either direction, each vertex within tolerance. */
    private static boolean sameCycle(NormalizedPolygon a, NormalizedPolygon b, double tolerance) {
        int n = a.pointCount();
        if (b.pointCount() != n) {
            return false;
        }
        for (int start = 0; start < n; start++) {
            for (int direction : new int[] {1, -1}) {
                boolean all = true;
                for (int i = 0; i < n && all; i++) {
                    int j = Math.floorMod(start + direction * i, n);
                    all = Math.abs(a.x(i) - b.x(j)) <= tolerance && Math.abs(a.y(i) - b.y(j)) <= tolerance;
                }
                if (all) {
                    return true;
                }
            }
        }
        return false;
    }

    @Test
    void shapeMasksSurviveTheRoundTripAt1000Bins() {
        Random random = new Random(7);
        String[] names = {"circle", "square", "triangle", "star"};
        double min = 1;
        double sum = 0;
        int count = 0;
        for (int kind = 0; kind < 4; kind++) {
            double kindMin = 1;
            double kindSum = 0;
            for (int trial = 0; trial < 100; trial++) {
                int width = 128 + random.nextInt(129);
                int height = 128 + random.nextInt(129);
                List<NormalizedPolygon> original = List.of(Shapes.shape(kind, random, width, height));
                BinaryMask expected = PolygonRasterizer.rasterize(original, width, height);
                BinaryMask decoded = tokenizer.decodeMask(tokenizer.encode(original).tokens(), width, height);
                double iou = expected.iou(decoded);
                kindMin = Math.min(kindMin, iou);
                kindSum += iou;
            }
            System.out.printf("mask round trip at 1000 bins, %-8s: mean IoU %.4f, min %.4f (100 shapes)%n",
                    names[kind], kindSum / 100, kindMin);
            min = Math.min(min, kindMin);
            sum += kindSum;
            count += 100;
        }
        System.out.printf("mask round trip at 1000 bins, all     : mean IoU %.4f, min %.4f (%d shapes)%n",
                sum / count, min, count);
        assertTrue(min > 0.95, "min IoU " + min);
        assertTrue(sum / count > 0.98, "mean IoU " + sum / count);
    }

    @Test
    void densePolygonsAreSimplifiedIntoTheBudgetAndKeepTheirShape() {
        Random random = new Random(3);
        int[] budgets = {128, 32, 16};
        double[] floors = {0.97, 0.97, 0.96}; // a 16-gon covers only 97.4% of its circle
        for (int b = 0; b < budgets.length; b++) {
            MaskTokenizer t = new MaskTokenizer(vocabulary, budgets[b]);
            double min = 1;
            double sum = 0;
            for (int trial = 0; trial < 40; trial++) {
                int size = 200;
                double radius = 30 + random.nextDouble() * 60;
                double[] xy = Shapes.starPixels(100, 100, radius, 400, trial % 2 == 0 ? 1 : 0.97, random.nextDouble());
                List<NormalizedPolygon> original = List.of(NormalizedPolygon.fromPixels(xy, size, size));
                TokenSequence s = t.encode(original);
                assertTrue(s.length() <= t.maxResponseLength(), s.length() + " > " + t.maxResponseLength());
                assertTrue(s.length() > t.maxResponseLength() / 2, "simplified more than needed: " + s.length());
                Grammars.assertAccepted(s.tokens(), t::allowedNext, vocabulary.size());
                double iou = PolygonRasterizer.rasterize(original, size, size).iou(t.decodeMask(s.tokens(), size, size));
                min = Math.min(min, iou);
                sum += iou;
            }
            System.out.printf("400-gon circles, half zigzagged 3%% (r 30-90 px in 200 px), %3d points: mean IoU %.4f, min %.4f%n",
                    budgets[b], sum / 40, min);
            assertTrue(min > floors[b], budgets[b] + " points: min IoU " + min);
        }
    }

    @Test
    void whenEvenTrianglesDoNotFitTheSmallestPolygonsAreDropped() {
        MaskTokenizer t = new MaskTokenizer(vocabulary, 12); // 24 tokens: 3 triangles and 2 separators = 20
        List<NormalizedPolygon> polygons = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            double size = 0.02 * (i + 1);
            double x = 0.1 + 0.18 * i;
            polygons.add(new NormalizedPolygon(new double[] {x, 0.5, x + size, 0.5, x, 0.5 + size}));
        }
        List<NormalizedPolygon> back = t.decode(t.encode(polygons).tokens());
        assertEquals(3, back.size());
        assertEquals(polygons.get(2).area(), back.get(0).area(), 1e-4);
        assertEquals(polygons.get(4).area(), back.get(2).area(), 1e-4);
    }

    @Test
    void randomInputsStayWithinBudgetAndGrammar() {
        Random random = new Random(99);
        for (int trial = 0; trial < 300; trial++) {
            MaskTokenizer t = new MaskTokenizer(vocabulary, 3 + random.nextInt(60));
            List<NormalizedPolygon> polygons = new ArrayList<>();
            for (int p = random.nextInt(6); p > 0; p--) {
                int n = 3 + random.nextInt(80);
                double cx = 0.2 + 0.6 * random.nextDouble();
                double cy = 0.2 + 0.6 * random.nextDouble();
                double[] xy = new double[2 * n];
                for (int i = 0; i < n; i++) {
                    double r = 0.01 + 0.19 * random.nextDouble();
                    double angle = 2 * Math.PI * i / n;
                    xy[2 * i] = cx + r * Math.cos(angle);
                    xy[2 * i + 1] = cy + r * Math.sin(angle);
                }
                polygons.add(new NormalizedPolygon(xy));
            }
            TokenSequence s = t.encode(polygons);
            assertTrue(s.length() <= t.maxResponseLength());
            Grammars.assertAccepted(s.tokens(), t::allowedNext, vocabulary.size());
            for (NormalizedPolygon p : t.decode(s.tokens())) {
                assertTrue(p.pointCount() >= 3);
            }
        }
    }

    @Test
    void decodingToleratesAMalformedTail() {
        int[] triangle = {c, c, c + 10, c, c, c + 10};
        int[] tokens = concat(triangle, new int[] {Vocabulary.SEPARATOR, c + 5, c + 5, c + 9, c + 9, 30, c, c});
        assertEquals(1, tokenizer.decode(tokens).size(), "a polygon cut short at 2 points is dropped");
        assertEquals(1, tokenizer.decode(concat(triangle, new int[] {c + 3})).size(), "a dangling coordinate is dropped");
        assertEquals(1, tokenizer.decode(concat(triangle, new int[] {Vocabulary.EOS, c, c, c, c, c, c})).size());
        assertEquals(2, tokenizer.decode(concat(triangle, new int[] {Vocabulary.SEPARATOR}, triangle)).size());
        assertTrue(tokenizer.decode(new int[] {Vocabulary.NOISE, c, c}).isEmpty());
        assertTrue(tokenizer.decode(new int[0]).isEmpty());
    }

    @Test
    void grammarKeepsPairsAndPolygonsWhole() {
        MaskTokenizer t = new MaskTokenizer(vocabulary, 8);
        int size = vocabulary.size();
        int eos = Vocabulary.EOS;
        int sep = Vocabulary.SEPARATOR;
        assertTrue(Grammars.allows(t::allowedNext, size, new int[0], eos), "no polygon at all");
        assertFalse(Grammars.allows(t::allowedNext, size, new int[0], sep));
        assertFalse(Grammars.allows(t::allowedNext, size, new int[] {c, c, c, c}, eos), "two points are no polygon");
        assertFalse(Grammars.allows(t::allowedNext, size, new int[] {c, c, c, c, c}, eos), "half a pair");
        assertFalse(Grammars.allows(t::allowedNext, size, new int[] {c}, Vocabulary.INVISIBLE));
        int[] triangle = {c, c, c + 1, c, c, c + 1};
        assertTrue(Grammars.allows(t::allowedNext, size, triangle, eos));
        assertTrue(Grammars.allows(t::allowedNext, size, triangle, sep));
        int[] tenPoints = concat(triangle, new int[] {c, c, c, c, c, c});
        assertFalse(Grammars.allows(t::allowedNext, size, tenPoints, sep), "no room for another triangle");
        int[] full = concat(tenPoints, new int[] {c, c, c, c});
        assertTrue(Grammars.allows(t::allowedNext, size, full, eos));
        assertFalse(Grammars.allows(t::allowedNext, size, full, c), "budget of 8 points spent");
    }

    @Test
    void badPolygonsAreRejectedWithTheirProblem() {
        String nan = assertThrows(IllegalArgumentException.class,
                () -> new NormalizedPolygon(new double[] {0, 0, 0.5, Double.NaN, 1, 1})).getMessage();
        assertTrue(nan.contains("point 1 y") && nan.contains("NaN"), nan);
        String outside = assertThrows(IllegalArgumentException.class,
                () -> new NormalizedPolygon(new double[] {0, 0, 1.25, 0.5, 1, 1})).getMessage();
        assertTrue(outside.contains("point 1 x") && outside.contains("1.25"), outside);
        String odd = assertThrows(IllegalArgumentException.class,
                () -> new NormalizedPolygon(new double[] {0, 0, 1, 0, 1})).getMessage();
        assertTrue(odd.contains("odd"), odd);
        String few = assertThrows(IllegalArgumentException.class,
                () -> new NormalizedPolygon(new double[] {0, 0, 1, 1})).getMessage();
        assertTrue(few.contains("at least 3 points"), few);
        String pixels = assertThrows(IllegalArgumentException.class,
                () -> NormalizedPolygon.fromPixels(new double[] {0, 0, 130, 0, 0, 50}, 128, 128)).getMessage();
        assertTrue(pixels.contains("point 1 x"), pixels);
        assertThrows(IllegalArgumentException.class, () -> new MaskTokenizer(vocabulary, 2));
    }

    @Test
    void flipMirrorsX() {
        NormalizedPolygon p = new NormalizedPolygon(new double[] {0.1, 0.2, 0.4, 0.2, 0.1, 0.6});
        assertArrayEquals(new double[] {0.9, 0.2, 0.6, 0.2, 0.9, 0.6}, p.flipHorizontal().xy(), 1e-12);
        assertArrayEquals(p.xy(), p.flipHorizontal().flipHorizontal().xy(), 1e-12);
    }

    private static int[] concat(int[]... parts) {
        int length = 0;
        for (int[] part : parts) {
            length += part.length;
        }
        int[] out = new int[length];
        int at = 0;
        for (int[] part : parts) {
            System.arraycopy(part, 0, out, at, part.length);
            at += part.length;
        }
        return out;
    }
}
