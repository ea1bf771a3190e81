package io.seqvision.web.service;

import io.seqvision.tokenizers.BoxTokenizer;
import io.seqvision.tokenizers.Vocabulary;
import io.seqvision.web.api.TokenView;
import java.util.List;
import java.util.Locale;

/** Labels token ids for people, from the model's vocabulary and class names. */
public final class TokenLabels {

    private static final String[] BOX_ROLES = {"ymin", "xmin", "ymax", "xmax"};

    private final Vocabulary vocabulary;
    private final List<String> classNames;

    public TokenLabels(Vocabulary vocabulary, List<String> classNames) {
        this.vocabulary = vocabulary;
        this.classNames = List.copyOf(classNames);
    }

    /** A prompt token (no probability). */
    public TokenView prompt(int id) {
        return new TokenView(id, "prompt", promptName(id), null);
    }

    /** The end token (the decoder does not report its probability). */
    public TokenView end() {
        return new TokenView(Vocabulary.EOS, "end", "EOS", null);
    }

    /**
     * A generated token of a detection response; {@code position} is its index in the response,
     * which tells a coordinate's role ({@code ymin xmin ymax xmax}, then the class).
     */
    public TokenView detection(int id, int position, float probability) {
        int slot = position % BoxTokenizer.TOKENS_PER_OBJECT;
        if (vocabulary.isCoord(id) && slot < BOX_ROLES.length) {
            String role = BOX_ROLES[slot];
            return new TokenView(id, "coordinate",
                    String.format(Locale.ROOT, "%s %.3f", role, vocabulary.coordOf(id)), (double) probability);
        }
        return generic(id, probability);
    }

    /** Any token, labelled by the vocabulary range it falls in. */
    public TokenView generic(int id, float probability) {
        double p = probability;
        if (vocabulary.isClass(id)) {
            int index = vocabulary.classIndexOf(id);
            return new TokenView(id, "class", index < classNames.size() ? classNames.get(index) : "class " + index, p);
        }
        if (vocabulary.isCoord(id)) {
            return new TokenView(id, "coordinate", String.format(Locale.ROOT, "%.3f", vocabulary.coordOf(id)), p);
        }
        if (vocabulary.isText(id)) {
            return new TokenView(id, "text", "text " + (id - vocabulary.textStart()), p);
        }
        return switch (id) {
            case Vocabulary.EOS -> new TokenView(id, "end", "EOS", p);
            case Vocabulary.SEPARATOR -> new TokenView(id, "separator", "SEP", p);
            case Vocabulary.INVISIBLE -> new TokenView(id, "invisible", "invisible", p);
            case Vocabulary.NOISE -> new TokenView(id, "noise", "noise", p);
            default -> new TokenView(id, "special", "#" + id, p);
        };
    }

    private static String promptName(int id) {
        return switch (id) {
            case Vocabulary.PROMPT_DETECTION -> "detect";
            case Vocabulary.PROMPT_SEGMENTATION -> "segment";
            case Vocabulary.PROMPT_KEYPOINTS -> "keypoints";
            case Vocabulary.PROMPT_CAPTION -> "caption";
            default -> "#" + id;
        };
    }
}
