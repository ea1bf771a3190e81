package io.seqvision.tasks.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Caption metrics as coco-caption computes them: corpus BLEU-1..4 (option 'closest') and
 * CIDEr-D (n = 1..4, sigma 6, document frequencies over the evaluated images' references). Every
 * caption is first split into words by {@link CaptionWords}; the definitions are given at {@link
 * #evaluate(Map, Map)}.
 */
public final class CaptionEvaluator {

    private CaptionEvaluator() {}

    /**
     * Scores one candidate caption per image against that image's reference captions.
     *
     * <p>BLEU-N {@code = (Π_{n<=N} (correct_n + 1e-15) / (guess_n + 1e-9))^(1/N) · BP}: over the
     * corpus, {@code correct_n} counts candidate n-grams clipped to their largest count in any one
     * reference of the image, {@code guess_n} counts candidate n-grams ({@code max(0, len - n +
     * 1)} each), and {@code BP = exp(1 - 1/ratio)} when {@code ratio = (c + 1e-15) / (r + 1e-9) < 1},
     * else 1, with c the candidates' total length and r the sum over images of the reference
     * length closest to the candidate's (a tie goes to the shorter). The constants are
     * coco-caption's: a perfect corpus of L words scores {@code 1 - O(1e-9 / L)}, not exactly 1.
     *
     * <p>CIDEr-D: with N images, an n-gram's weight in a sentence is {@code tf · (ln N - ln max(1,
     * df))}, tf its count in the sentence and df the number of images whose references contain
     * it. Per order n = 1..4 and reference g, the candidate h scores {@code Σ_k min(h_k, g_k) g_k /
     * (|h| |g|)} (left as the bare sum, i.e. 0, when a norm is 0) times {@code exp(-δ²/72)}, δ the
     * difference of the two lengths counted in bigrams ({@code words - 1}, 0 for one word), as
     * coco-caption counts them. An image scores {@code 10 · mean_n(Σ_g score) / #references}; the
     * corpus value is the mean over images. A corpus of one image scores 0 (every idf is
     * {@code ln 1}).
     *
     * @param references per image id, its reference captions (at least one), raw text
     * @param candidates per image id, the caption to score, raw text; must have exactly the image
     *     ids of {@code references}
     * @throws IllegalArgumentException when the two maps name different images, an image has no
     *     reference, a caption is null, or there is no image
     */
    public static CaptionScores evaluate(Map<Long, List<String>> references, Map<Long, String> candidates) {
        Objects.requireNonNull(references, "references");
        Objects.requireNonNull(candidates, "candidates");
        requireSameImages(references, candidates);
        List<Long> images = new ArrayList<>(new TreeSet<>(references.keySet()));
        List<List<String>> candidateWords = new ArrayList<>(images.size());
        List<List<List<String>>> referenceWords = new ArrayList<>(images.size());
        for (Long image : images) {
            String candidate = candidates.get(image);
            if (candidate == null) {
                throw new IllegalArgumentException("candidates: caption of image " + image + " is null");
            }
            candidateWords.add(CaptionWords.tokenize(candidate));
            List<String> refs = references.get(image);
            if (refs == null || refs.isEmpty()) {
                throw new IllegalArgumentException("references: image " + image + " has no reference caption");
            }
            List<List<String>> words = new ArrayList<>(refs.size());
            for (int i = 0; i < refs.size(); i++) {
                if (refs.get(i) == null) {
                    throw new IllegalArgumentException("references: caption " + i + " of image " + image + " is null");
                }
                words.add(CaptionWords.tokenize(refs.get(i)));
            }
            referenceWords.add(words);
        }
        double[] bleu = CorpusBleu.score(candidateWords, referenceWords);
        double[] cider = CiderD.perImage(candidateWords, referenceWords);
        Map<Long, Double> byImage = new TreeMap<>();
        double sum = 0;
        for (int i = 0; i < images.size(); i++) {
            byImage.put(images.get(i), cider[i]);
            sum += cider[i];
        }
        return new CaptionScores(bleu[0], bleu[1], bleu[2], bleu[3], sum / images.size(), byImage);
    }

    private static void requireSameImages(Map<Long, List<String>> references, Map<Long, String> candidates) {
        if (references.isEmpty()) {
            throw new IllegalArgumentException("references: no image to evaluate");
        }
        for (Long image : references.keySet()) {
            if (image == null) {
                throw new IllegalArgumentException("references: null image id");
            }
        }
        for (Long image : candidates.keySet()) {
            if (image == null) {
                throw new IllegalArgumentException("candidates: null image id");
            }
        }
        TreeSet<Long> missing = new TreeSet<>(references.keySet());
        missing.removeAll(candidates.keySet());
        TreeSet<Long> extra = new TreeSet<>(candidates.keySet());
        extra.removeAll(references.keySet());
        if (!missing.isEmpty() || !extra.isEmpty()) {
            throw new IllegalArgumentException("references and candidates must cover the same images: "
                    + (missing.isEmpty() ? "" : "no candidate for " + firstFew(missing))
                    + (!missing.isEmpty() && !extra.isEmpty() ? "; " : "")
                    + (extra.isEmpty() ? "" : "no references for " + firstFew(extra)));
        }
    }

    private static String firstFew(TreeSet<Long> ids) {
        List<Long> shown = new ArrayList<>(ids).subList(0, Math.min(5, ids.size()));
        String more = ids.size() > 5 ? " and " + (ids.size() - 5) + " more" : "";
        return "image" + (ids.size() == 1 ? " " : "s ") + shown + more;
    }
}
