package io.seqvision.tasks.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** n-gram counts of a tokenised sentence, for BLEU and CIDEr-D. */
final class NGrams {

    static final int MAX_ORDER = 4;

    private NGrams() {}

    /**
     * @return {@code [n - 1]}: each n-gram of order n (words joined by a space; words never contain
     *     whitespace) with its count, n = 1..4
     */
    static List<Map<String, Integer>> count(List<String> words) {
        List<Map<String, Integer>> counts = new ArrayList<>(MAX_ORDER);
        for (int n = 1; n <= MAX_ORDER; n++) {
            Map<String, Integer> order = new HashMap<>();
            for (int i = 0; i + n <= words.size(); i++) {
                order.merge(String.join(" ", words.subList(i, i + n)), 1, Integer::sum);
            }
            counts.add(order);
        }
        return counts;
    }
}
