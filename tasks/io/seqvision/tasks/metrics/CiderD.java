package io.seqvision.tasks.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * CIDEr-D as coco-caption's CiderScorer computes it (n = 1..4, sigma = 6), on tokenised captions.
 *
 * <p>With {@code N} images, an n-gram's weight in a sentence is {@code tf · (ln N - ln max(1,
 * df))}: {@code tf} its count in the sentence, {@code df} the number of images whose references
 * contain it (an n-gram no reference has gets the full {@code ln N}). Per order n, the candidate
 * {@code h} and one reference {@code g} give {@code s_n = Σ min(h_k, g_k) · g_k / (|h| |g|)} (the
 * clipped dot product, over n-grams k of order n; left unnormalised, i.e. 0, when a norm is 0)
 * times {@code exp(-δ² / (2σ²))}, where δ is the difference of the two sentences' lengths
 * counted, as coco-caption does, in bigrams ({@code words - 1}; 0 for one word). An image scores
 * {@code 10 · mean_n(Σ_refs s_n) / #refs}; CIDEr-D is the mean over images. One image alone scores
 * 0 (every weight is {@code ln 1 = 0}).
 */
final class CiderD {

    private static final double SIGMA = 6.0;

    private CiderD() {}

    /**
     * @param candidates one tokenised caption per image
     * @param references per image (same order) its tokenised reference captions, at least one
     * @return the score of each image, in order
     */
    static double[] perImage(List<List<String>> candidates, List<List<List<String>>> references) {
        int images = candidates.size();
        Map<String, Integer> documentFrequency = new HashMap<>();
        for (List<List<String>> refs : references) {
            Set<String> seen = new HashSet<>();
            for (List<String> ref : refs) {
                NGrams.count(ref).forEach(order -> seen.addAll(order.keySet()));
            }
            seen.forEach(ngram -> documentFrequency.merge(ngram, 1, Integer::sum));
        }
        double logImages = Math.log(images);
        double[] scores = new double[images];
        for (int image = 0; image < images; image++) {
            Vector candidate = new Vector(candidates.get(image), documentFrequency, logImages);
            double[] sum = new double[NGrams.MAX_ORDER];
            List<List<String>> refs = references.get(image);
            for (List<String> ref : refs) {
                Vector reference = new Vector(ref, documentFrequency, logImages);
                double delta = candidate.length - reference.length;
                double penalty = Math.pow(Math.E, -(delta * delta) / (2 * SIGMA * SIGMA));
                for (int n = 0; n < NGrams.MAX_ORDER; n++) {
                    double value = 0;
                    for (Map.Entry<String, Double> entry : candidate.weights.get(n).entrySet()) {
                        double referenceWeight = reference.weights.get(n).getOrDefault(entry.getKey(), 0.0);
                        value += Math.min(entry.getValue(), referenceWeight) * referenceWeight;
                    }
                    if (candidate.norms[n] != 0 && reference.norms[n] != 0) {
                        value /= candidate.norms[n] * reference.norms[n];
                    }
                    sum[n] += value * penalty;
                }
            }
            double mean = 0;
            for (double value : sum) {
                mean += value;
            }
            scores[image] = mean / NGrams.MAX_ORDER / refs.size() * 10.0;
        }
        return scores;
    }

    /** tf-idf weights per order, their Euclidean norms, and coco-caption's length (bigram count). */
    private static final class Vector {
        final List<Map<String, Double>> weights = new ArrayList<>();
        final double[] norms = new double[NGrams.MAX_ORDER];
        final int length;

        Vector(List<String> words, Map<String, Integer> documentFrequency, double logImages) {
            List<Map<String, Integer>> counts = NGrams.count(words);
            for (int n = 0; n < NGrams.MAX_ORDER; n++) {
                Map<String, Double> order = new HashMap<>();
                double squares = 0;
                for (Map.Entry<String, Integer> ngram : counts.get(n).entrySet()) {
                    double df = Math.log(Math.max(1.0, documentFrequency.getOrDefault(ngram.getKey(), 0)));
                    double weight = ngram.getValue() * (logImages - df);
                    order.put(ngram.getKey(), weight);
                    squares += weight * weight;
                }
                weights.add(order);
                norms[n] = Math.sqrt(squares);
            }
            this.length = Math.max(0, words.size() - 1);
        }
    }
}
