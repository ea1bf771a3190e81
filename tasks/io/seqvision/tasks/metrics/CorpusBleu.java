package io.seqvision.tasks.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Corpus BLEU-1..4 as coco-caption's BleuScorer computes it with option 'closest', on tokenised
 * captions.
 *
 * <p>Over all images: {@code correct_n} sums, per candidate n-gram, its count clipped to the
 * largest count of that n-gram in any one reference of the image; {@code guess_n} sums {@code
 * max(0, len - n + 1)} over the candidates; {@code c} is the total candidate length and {@code r}
 * the total of, per image, the reference length closest to the candidate's (a tie goes to the
 * shorter reference). Then {@code BLEU-N = (Π_{n<=N} (correct_n + 1e-15) / (guess_n + 1e-9))^(1/N)
 * · BP} with {@code BP = exp(1 - 1/ratio)} when {@code ratio = (c + 1e-15) / (r + 1e-9) < 1}, else
 * 1. The constants are coco-caption's; they keep a zero count from giving 0/0, and make a perfect
 * corpus of length L score {@code 1 - O(1e-9 / L)} rather than exactly 1.
 */
final class CorpusBleu {

    private static final double TINY = 1e-15;
    private static final double SMALL = 1e-9;

    private CorpusBleu() {}

    /**
     * @param candidates one tokenised caption per image
     * @param references per image (same order) its tokenised reference captions, at least one
     * @return BLEU-1 to BLEU-4
     */
    static double[] score(List<List<String>> candidates, List<List<List<String>>> references) {
        int orders = NGrams.MAX_ORDER;
        long[] correct = new long[orders];
        long[] guess = new long[orders];
        long candidateLength = 0;
        long referenceLength = 0;
        for (int image = 0; image < candidates.size(); image++) {
            List<String> candidate = candidates.get(image);
            List<List<String>> refs = references.get(image);
            int length = candidate.size();
            candidateLength += length;
            referenceLength += closestLength(refs, length);
            List<Map<String, Integer>> maxRefCounts = maxCounts(refs);
            List<Map<String, Integer>> counts = NGrams.count(candidate);
            for (int n = 0; n < orders; n++) {
                guess[n] += Math.max(0, length - n);
                Map<String, Integer> refCounts = maxRefCounts.get(n);
                for (Map.Entry<String, Integer> ngram : counts.get(n).entrySet()) {
                    correct[n] += Math.min(ngram.getValue(), refCounts.getOrDefault(ngram.getKey(), 0));
                }
            }
        }
        double ratio = (candidateLength + TINY) / (referenceLength + SMALL);
        double brevityPenalty = ratio < 1 ? Math.exp(1 - 1 / ratio) : 1;
        double[] bleu = new double[orders];
        double product = 1;
        for (int n = 0; n < orders; n++) {
            product *= (correct[n] + TINY) / (guess[n] + SMALL);
            bleu[n] = Math.pow(product, 1.0 / (n + 1)) * brevityPenalty;
        }
        return bleu;
    }

    /** The reference length nearest {@code length}; on a tie the shorter one. */
    static int closestLength(List<List<String>> refs, int length) {
        int best = -1;
        for (List<String> ref : refs) {
            int candidate = ref.size();
            if (best < 0 || Math.abs(candidate - length) < Math.abs(best - length)
                    || (Math.abs(candidate - length) == Math.abs(best - length) && candidate < best)) {
                best = candidate;
            }
        }
        return best;
    }

    private static List<Map<String, Integer>> maxCounts(List<List<String>> refs) {
        List<Map<String, Integer>> max = new ArrayList<>();
        for (int n = 0; n < NGrams.MAX_ORDER; n++) {
            max.add(new HashMap<>());
        }
        for (List<String> ref : refs) {
            List<Map<String, Integer>> counts = NGrams.count(ref);
            for (int n = 0; n < NGrams.MAX_ORDER; n++) {
                Map<String, Integer> target = max.get(n);
                counts.get(n).forEach((ngram, count) -> target.merge(ngram, count, Math::max));
            }
        }
        return max;
    }
}
