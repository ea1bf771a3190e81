package io.seqvision.tasks.metrics;

import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Caption metrics of a corpus, as coco-caption reports them: BLEU in [0, 1], CIDEr-D in [0, 10]
 * (10 needs every candidate to equal all its references; real captioners score about 1).
 *
 * @param bleu1 corpus BLEU with unigrams
 * @param bleu2 corpus BLEU up to bigrams
 * @param bleu3 corpus BLEU up to trigrams
 * @param bleu4 corpus BLEU up to 4-grams, the usual "BLEU"
 * @param ciderD CIDEr-D, the mean of {@code ciderDByImage}
 * @param ciderDByImage each image's CIDEr-D, by image id (ascending); unmodifiable
 */
public record CaptionScores(double bleu1, double bleu2, double bleu3, double bleu4, double ciderD,
        Map<Long, Double> ciderDByImage) {

    public CaptionScores {
        ciderDByImage = Collections.unmodifiableMap(new TreeMap<>(ciderDByImage));
    }

    /** BLEU-1 to BLEU-4. */
    public double[] bleu() {
        return new double[] {bleu1, bleu2, bleu3, bleu4};
    }

    /** One line per metric, named as coco-caption prints them. */
    public String format() {
        return String.format(Locale.ROOT, "Bleu_1: %.3f%nBleu_2: %.3f%nBleu_3: %.3f%nBleu_4: %.3f%nCIDEr: %.3f",
                bleu1, bleu2, bleu3, bleu4, ciderD);
    }
}
