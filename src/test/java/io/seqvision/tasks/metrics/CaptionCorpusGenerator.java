package io.seqvision.tasks.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A seeded random caption corpus over a 12-word vocabulary (so n-grams repeat within and across
 * images): 3 to 30 images with 1 to 5 references of 1 to 14 words; each candidate is an edited
 * copy of one reference (words replaced, dropped or repeated), random words, or now and then
 * empty. Lower-case words without punctuation, so {@link CaptionWords} leaves them as they are;
 * integer draws only, so src/test/python/coco_reference.py rebuilds the same corpus.
 */
final class CaptionCorpusGenerator {

    record Corpus(Map<Long, List<String>> references, Map<Long, String> candidates) {}

    static final String[] VOCABULARY = {
        "a", "the", "man", "dog", "on", "of", "riding", "wave", "red", "sitting", "table", "with"
    };

    private final SplitMix64 random;

    private CaptionCorpusGenerator(long seed) {
        this.random = new SplitMix64(seed);
    }

    static Corpus generate(long seed) {
        return new CaptionCorpusGenerator(seed).corpus();
    }

    private Corpus corpus() {
        int images = 3 + random.below(28);
        Map<Long, List<String>> references = new TreeMap<>();
        Map<Long, String> candidates = new TreeMap<>();
        for (int i = 0; i < images; i++) {
            long image = 40 + 11L * i;
            int count = 1 + random.below(5);
            List<List<String>> refs = new ArrayList<>();
            for (int r = 0; r < count; r++) {
                refs.add(words(1 + random.below(14)));
            }
            List<String> candidate;
            int kind = random.below(8);
            if (kind == 0) {
                candidate = List.of();
            } else if (kind == 1) {
                candidate = words(1 + random.below(14));
            } else {
                candidate = new ArrayList<>();
                for (String word : refs.get(random.below(count))) {
                    int edit = random.below(10);
                    if (edit == 0) {
                        continue;
                    }
                    candidate.add(edit == 1 ? VOCABULARY[random.below(VOCABULARY.length)] : word);
                    if (edit == 2) {
                        candidate.add(word);
                    }
                }
            }
            references.put(image, refs.stream().map(ref -> String.join(" ", ref)).toList());
            candidates.put(image, String.join(" ", candidate));
        }
        return new Corpus(references, candidates);
    }

    private List<String> words(int length) {
        List<String> words = new ArrayList<>(length);
        for (int i = 0; i < length; i++) {
            words.add(VOCABULARY[random.below(VOCABULARY.length)]);
        }
        return words;
    }
}
