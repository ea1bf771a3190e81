package io.seqvision.tasks.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The words of a caption as caption metrics compare them: a plain-Java approximation of what
 * coco-caption does before BLEU and CIDEr (Stanford PTBTokenizer 3.4.1 with {@code -lowerCase},
 * then its punctuation tokens dropped). Exactly:
 *
 * <ol>
 *   <li>lower-case ({@link Locale#ROOT}); the typographic apostrophe {@code ’} becomes {@code '};
 *   <li>split at whitespace ({@link Character#isWhitespace}), and at commas that do not stand
 *       between two digits ({@code dog,cat} → {@code dog cat}, {@code 1,000} stays);
 *   <li>from both ends of each piece, drop every character of {@link #PUNCTUATION} ({@code . ? !
 *       , : ; - ' ` "}, dashes, ellipsis, curly quotes: PTB splits these off and coco-caption
 *       drops them) and turn each bracket into PTB's token for it, which coco-caption keeps
 *       because its list names them in upper case: {@code ( ) [ ] { }} → {@code -lrb- -rrb- -lsb-
 *       -rsb- -lcb- -rcb-};
 *   <li>split PTB's clitics off the end of the word, each as a token of its own: {@code n't}
 *       ({@code don't} → {@code do n't}, {@code can't} → {@code ca n't}), else one of {@code 's
 *       're 've 'll 'd 'm} ({@code man's} → {@code man 's});
 *   <li>drop what is empty.
 * </ol>
 *
 * <p>Punctuation inside a word stays ({@code black-and-white}, {@code 3.5}, {@code u.s}), as PTB
 * keeps hyphenated words and numbers whole. Known differences from PTB: an abbreviation's final
 * period goes ({@code u.s.} → {@code u.s}); a leading clitic stays whole after its apostrophe goes
 * ({@code 'tis} → {@code tis}, PTB {@code 't is}); units are not split from numbers ({@code
 * 5:30pm}, PTB {@code 5:30 pm}); repeated marks go ({@code red!!} → {@code red}, PTB keeps a
 * token {@code !!}).
 */
public final class CaptionWords {

    /** The characters dropped from the ends of each piece (brackets are not among them). */
    public static final String PUNCTUATION = ".?!,:;-'`\"\u2013\u2014\u2026\u2018\u201c\u201d";

    private static final String BRACKETS = "()[]{}";
    private static final String[] BRACKET_TOKENS = {"-lrb-", "-rrb-", "-lsb-", "-rsb-", "-lcb-", "-rcb-"};
    private static final String[] CLITICS = {"'s", "'re", "'ve", "'ll", "'d", "'m"};

    private CaptionWords() {}

    public static List<String> tokenize(String caption) {
        String text = caption.toLowerCase(Locale.ROOT).replace('\u2019', '\'');
        List<String> words = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= text.length(); i++) {
            if (i == text.length() || Character.isWhitespace(text.charAt(i)) || isSplittingComma(text, i)) {
                addPiece(text.substring(start, i), words);
                start = i + 1;
            }
        }
        return words;
    }

    private static boolean isSplittingComma(String text, int i) {
        return text.charAt(i) == ',' && !(i > 0 && i + 1 < text.length()
                && Character.isDigit(text.charAt(i - 1)) && Character.isDigit(text.charAt(i + 1)));
    }

    private static void addPiece(String piece, List<String> words) {
        int from = 0;
        int to = piece.length();
        while (from < to && isEdgeMark(piece.charAt(from))) {
            addBracket(piece.charAt(from++), words);
        }
        List<String> closing = new ArrayList<>();
        while (to > from && isEdgeMark(piece.charAt(to - 1))) {
            addBracket(piece.charAt(--to), closing);
        }
        String word = piece.substring(from, to);
        String clitic = clitic(word);
        if (clitic != null) {
            words.add(word.substring(0, word.length() - clitic.length()));
            words.add(clitic);
        } else if (!word.isEmpty()) {
            words.add(word);
        }
        for (int i = closing.size() - 1; i >= 0; i--) {
            words.add(closing.get(i));
        }
    }

    private static boolean isEdgeMark(char c) {
        return PUNCTUATION.indexOf(c) >= 0 || BRACKETS.indexOf(c) >= 0;
    }

    private static void addBracket(char c, List<String> words) {
        int bracket = BRACKETS.indexOf(c);
        if (bracket >= 0) {
            words.add(BRACKET_TOKENS[bracket]);
        }
    }

    /** The clitic ending {@code word} after a non-empty stem, or null. */
    private static String clitic(String word) {
        if (word.length() > 3 && word.endsWith("n't")) {
            return "n't";
        }
        for (String clitic : CLITICS) {
            if (word.length() > clitic.length() && word.endsWith(clitic)) {
                return clitic;
            }
        }
        return null;
    }
}
