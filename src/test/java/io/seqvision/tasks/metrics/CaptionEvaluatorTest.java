package io.seqvision.tasks.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Hand-worked BLEU and CIDEr-D cases. Every expected value was also printed by coco-caption's own
 * Bleu(4) and Cider (pycocoevalcap) on the same captions, and agrees to the digits given.
 */
class CaptionEvaluatorTest {

    @Test
    void identicalCaptionsScoreOneUpToCocoCaptionsSmoothing() {
        // 5 words: correct = guess = [5, 4, 3, 2], c = r = 5. Each factor is (k + 1e-15) / (k + 1e-9)
        // and BP = exp(1 - (5 + 1e-9) / (5 + 1e-15)): BLEU-4 = 1 - O(1e-9), not exactly 1.
        CaptionScores s = CaptionEvaluator.evaluate(
                Map.of(1L, List.of("a b c d e"), 2L, List.of("c d")), Map.of(1L, "A b c d e.", 2L, "c d"));
        for (double bleu : s.bleu()) {
            assertEquals(1.0, bleu, 1e-9);
        }
        assertEquals(0.9999999995630956, s.bleu4(), 1e-15); // coco-caption's value
        // CIDEr-D: n-grams "c", "d", "c d" are in both images' references, so their idf is
        // ln 2 - ln 2 = 0 and image 2 scores 0; image 1 is cosine 1 at all four orders -> 10.
        assertEquals(10.0, s.ciderDByImage().get(1L), 1e-12);
        assertEquals(0.0, s.ciderDByImage().get(2L), 0.0);
        assertEquals(5.0, s.ciderD(), 1e-12);
    }

    @Test
    void bleuOfOneSentenceWorkedByHand() {
        // candidate "the cat sat on the mat" (6 words); refs "the cat is on the mat" (6),
        // "there is a cat on the mat" (7).
        //   unigrams: the x2 (max ref count 2), cat, sat (0), on, mat -> correct 5 of 6
        //   bigrams: the cat, cat sat (0), sat on (0), on the, the mat -> 3 of 5
        //   trigrams: only "on the mat" -> 1 of 4;  4-grams: 0 of 3
        //   closest reference length 6 = c, so BP = exp(1 - (6 + 1e-9)/(6 + 1e-15)) ~ 1 - 1.7e-10.
        // BLEU-1 = 5/6, BLEU-2 = sqrt(5/6 * 3/5) = sqrt(1/2), BLEU-3 = (1/8)^(1/3) = 1/2,
        // BLEU-4 = (1/8 * 1e-15/3)^(1/4) = 8.03e-5 (the 1e-15 keeps it off 0).
        CaptionScores s = CaptionEvaluator.evaluate(
                Map.of(1L, List.of("The cat is on the mat.", "There is a cat on the mat.")),
                Map.of(1L, "the cat sat on the mat"));
        assertEquals(5.0 / 6.0, s.bleu1(), 1e-9);
        assertEquals(Math.sqrt(0.5), s.bleu2(), 1e-9);
        assertEquals(0.5, s.bleu3(), 1e-9);
        assertEquals(Math.pow(0.125 * 1e-15 / 3, 0.25), s.bleu4(), 1e-12);
        // coco-caption's values
        assertEquals(0.8333333330555557, s.bleu1(), 1e-15);
        assertEquals(8.034284186199331e-05, s.bleu4(), 1e-17);
        // one image: every idf is ln 1 - ln 1 = 0
        assertEquals(0.0, s.ciderD(), 0.0);
    }

    @Test
    void bleuIsPooledOverTheCorpusWithTheClosestReferenceLengthsAndABrevityPenalty() {
        // Image 1 as above: correct [5, 3, 1, 0], guess [6, 5, 4, 3], reference length 6.
        // Image 2: "a dog runs" against "a dog runs in the park" (6) and "the dog is running" (4):
        // correct [3, 2, 1, 0], guess [3, 2, 1, 0]; closest reference length 4 (|4-3| < |6-3|).
        // Pooled: correct [8, 5, 2, 0], guess [9, 7, 5, 3]; c = 9 < r = 10: BP = exp(1 - 10/9).
        // BLEU-1 = 8/9 BP = 0.795413, BLEU-2 = sqrt(8/9 * 5/7) BP = 0.713025,
        // BLEU-3 = (8/9 * 5/7 * 2/5)^(1/3) BP = 0.566680. (The mean of the two sentences' BLEU-1,
        // (5/6 + 1) / 2, would be 0.917.)
        CaptionScores s = CaptionEvaluator.evaluate(
                Map.of(1L, List.of("the cat is on the mat", "there is a cat on the mat"),
                        2L, List.of("a dog runs in the park", "the dog is running")),
                Map.of(1L, "the cat sat on the mat", 2L, "a dog runs"));
        double penalty = Math.exp(1 - 10.0 / 9.0);
        assertEquals(8.0 / 9.0 * penalty, s.bleu1(), 1e-9);
        assertEquals(Math.sqrt(8.0 / 9.0 * 5.0 / 7.0) * penalty, s.bleu2(), 1e-9);
        assertEquals(Math.cbrt(8.0 / 9.0 * 5.0 / 7.0 * 2.0 / 5.0) * penalty, s.bleu3(), 1e-9);
        // coco-caption's values
        assertEquals(0.7954127258804594, s.bleu1(), 1e-15);
        assertEquals(0.7130250346394177, s.bleu2(), 1e-15);
        assertEquals(0.5666804131364244, s.bleu3(), 1e-15);
        assertEquals(8.58340494590054e-05, s.bleu4(), 1e-17);
    }

    @Test
    void closestReferenceLengthTieGoesToTheShorter() {
        // Candidate of 4 words, references of 3 and 5: tie, r = 3 (no brevity penalty, c > r).
        // With r = 5 BLEU-1 would carry exp(1 - 5/4) = 0.78.
        assertEquals(3, CorpusBleu.closestLength(List.of(List.of("a", "b", "c", "d", "e"), List.of("a", "b", "c")), 4));
        CaptionScores s = CaptionEvaluator.evaluate(Map.of(1L, List.of("a b c d e", "a b c")), Map.of(1L, "a b c d"));
        assertEquals(1.0, s.bleu1(), 1e-9);
    }

    @Test
    void ciderDWorkedByHandShowsClippingAndTheLengthPenalty() {
        // Two images, so an n-gram in one image's references has idf ln 2 - ln 1 = L (L = ln 2),
        // and one in no reference also gets ln 2 - ln max(1, 0) = L.
        // Image 1: candidate "a b b", reference "a b".
        //   unigrams: h = {a: L, b: 2L} (|h| = sqrt 5 L), g = {a: L, b: L} (|g| = sqrt 2 L);
        //   clipped dot = min(L, L) L + min(2L, L) L = 2 L^2 -> 2 / sqrt 10 = 0.632456
        //   (unclipped it would be 3 / sqrt 10);
        //   bigrams: h = {a b: L, b b: L}, g = {a b: L} -> L^2 / (sqrt 2 L * L) = 0.707107;
        //   trigrams: the reference has none (norm 0) -> 0; 4-grams: none.
        //   length in bigrams 2 vs 1: penalty exp(-1/72) = 0.986207.
        //   score = 10 * (0.632456 + 0.707107) * 0.986207 / 4 = 3.302715
        // Image 2: "c d" against "c d": cosine 1 at orders 1 and 2 -> 10 * 2 / 4 = 5.
        CaptionScores s = CaptionEvaluator.evaluate(Map.of(1L, List.of("a b"), 2L, List.of("c d")),
                Map.of(1L, "a b b", 2L, "c d"));
        double image1 = 10 * (2 / Math.sqrt(10) + 1 / Math.sqrt(2)) * Math.exp(-1.0 / 72) / 4;
        assertEquals(image1, s.ciderDByImage().get(1L), 1e-12);
        assertEquals(5.0, s.ciderDByImage().get(2L), 1e-12);
        assertEquals((image1 + 5) / 2, s.ciderD(), 1e-12);
        assertEquals(4.151357358274659, s.ciderD(), 1e-14); // coco-caption's value
    }

    @Test
    void ciderDAveragesOverReferencesAndPenalisesLengthInBigrams() {
        // coco-caption's values for these three images (its per-image array: 10, 6.11875808,
        // 0.85366471; mean 5.6574742638102355).
        CaptionScores s = CaptionEvaluator.evaluate(
                Map.of(1L, List.of("a man riding a wave"), 2L, List.of("a dog on a table"), 3L, List.of("a red table")),
                Map.of(1L, "a man riding a wave", 2L, "a dog on a red table", 3L, "a table"));
        assertEquals(10.0, s.ciderDByImage().get(1L), 1e-12);
        assertEquals(6.11875808, s.ciderDByImage().get(2L), 1e-8);
        assertEquals(0.85366471, s.ciderDByImage().get(3L), 1e-8);
        assertEquals(5.6574742638102355, s.ciderD(), 1e-14);
        assertEquals(0.7254204376542581, s.bleu4(), 1e-15);
    }

    @Test
    void anEmptyCandidateScoresZeroWithoutNaN() {
        CaptionScores s = CaptionEvaluator.evaluate(
                Map.of(1L, List.of("a b"), 2L, List.of("c d")), Map.of(1L, "", 2L, "c d"));
        assertEquals(0.0, s.ciderDByImage().get(1L), 0.0);
        assertEquals(2.5, s.ciderD(), 1e-12);
        assertTrue(s.bleu1() > 0 && s.bleu1() < 1, s::format);
    }

    @Test
    void badInputIsNamed() {
        assertRejected(() -> CaptionEvaluator.evaluate(Map.of(1L, List.of("a"), 2L, List.of("b")), Map.of(1L, "a", 3L, "b")),
                "no candidate for image [2]", "no references for image [3]");
        assertRejected(() -> CaptionEvaluator.evaluate(Map.of(1L, List.of()), Map.of(1L, "a")), "image 1 has no reference");
        assertRejected(() -> CaptionEvaluator.evaluate(Map.of(1L, Arrays.asList("a", null)), Map.of(1L, "a")),
                "caption 1 of image 1 is null");
        Map<Long, String> nullCandidate = new HashMap<>();
        nullCandidate.put(1L, null);
        assertRejected(() -> CaptionEvaluator.evaluate(Map.of(1L, List.of("a")), nullCandidate),
                "caption of image 1 is null");
        assertRejected(() -> CaptionEvaluator.evaluate(Map.of(), Map.of()), "no image");
        Map<Long, List<String>> nullKey = new HashMap<>();
        nullKey.put(null, List.of("a"));
        assertRejected(() -> CaptionEvaluator.evaluate(nullKey, Map.of(1L, "a")), "null image id");
    }

    private static void assertRejected(Executable action, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, action);
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), () -> "'" + e.getMessage() + "' lacks '" + fragment + "'");
        }
    }
}
