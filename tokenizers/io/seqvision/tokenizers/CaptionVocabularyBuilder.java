package io.seqvision.tokenizers;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds a small word-level HuggingFace tokenizer.json from example captions: a lowercase
 * normalizer, the Whitespace pre-tokenizer (runs of word characters, runs of other non-space
 * characters), a WordLevel model with {@code [PAD]} = 0 and {@code [UNK]} = 1 then the words by
 * falling count (ties alphabetical), and a WordPiece decoder with clean-up, which joins words with
 * spaces and glues {@code . , ? !} to the word before them.
 *
 * <p>So a caption comes back exactly when it is lower case, its words are separated by single
 * spaces, and its only punctuation is {@code . , ? !} directly after a word (the shapes captions
 * are); otherwise it comes back normalised ("t-shirt" as "t - shirt"). Words seen fewer than
 * {@code minCount} times become {@code [UNK]}, which decoding skips.
 */
public final class CaptionVocabularyBuilder {

    public static final String PAD_TOKEN = "[PAD]";
    public static final String UNK_TOKEN = "[UNK]";

    /** HuggingFace's Whitespace pre-tokenizer pattern, with Unicode word characters as in Rust. */
    private static final Pattern PIECES = Pattern.compile("\\w+|[^\\w\\s]+", Pattern.UNICODE_CHARACTER_CLASS);

    private static final Comparator<Map.Entry<String, Integer>> BY_FALLING_COUNT_THEN_WORD =
            Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey());

    private final Map<String, Integer> counts = new HashMap<>();
    private int minCount = 1;

    /** Words seen fewer times are left out (they encode as [UNK]); default 1. */
    public CaptionVocabularyBuilder optMinCount(int minCount) {
        if (minCount < 1) {
            throw new IllegalArgumentException("minCount must be at least 1, got " + minCount);
        }
        this.minCount = minCount;
        return this;
    }

    public CaptionVocabularyBuilder add(String caption) {
        if (caption == null) {
            throw new IllegalArgumentException("caption is null");
        }
        for (String piece : pieces(caption)) {
            counts.merge(piece, 1, Integer::sum);
        }
        return this;
    }

    public CaptionVocabularyBuilder addAll(Collection<String> captions) {
        captions.forEach(this::add);
        return this;
    }

    /** The words as the tokenizer will split them: lower-cased, then the Whitespace pattern. */
    static List<String> pieces(String caption) {
        List<String> pieces = new ArrayList<>();
        Matcher matcher = PIECES.matcher(caption.toLowerCase(Locale.ROOT));
        while (matcher.find()) {
            pieces.add(matcher.group());
        }
        return pieces;
    }

    /** The words of the vocabulary in id order, from id 2 on. */
    public List<String> words() {
        return counts.entrySet().stream()
                .filter(e -> e.getValue() >= minCount && !e.getKey().equals(PAD_TOKEN) && !e.getKey().equals(UNK_TOKEN))
                .sorted(BY_FALLING_COUNT_THEN_WORD)
                .map(Map.Entry::getKey)
                .toList();
    }

    /** Number of ids of the tokenizer: the two specials and the words. */
    public int size() {
        return 2 + words().size();
    }

    /** The tokenizer.json document. */
    public ObjectNode toJson() {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        addSpecial(added, 0, PAD_TOKEN);
        addSpecial(added, 1, UNK_TOKEN);
        root.putObject("normalizer").put("type", "Lowercase");
        root.putObject("pre_tokenizer").put("type", "Whitespace");
        root.putNull("post_processor");
        root.putObject("decoder").put("type", "WordPiece").put("prefix", "##").put("cleanup", true);
        ObjectNode model = root.putObject("model");
        model.put("type", "WordLevel");
        ObjectNode vocab = model.putObject("vocab");
        vocab.put(PAD_TOKEN, 0);
        vocab.put(UNK_TOKEN, 1);
        int id = 2;
        for (String word : words()) {
            vocab.put(word, id++);
        }
        model.put("unk_token", UNK_TOKEN);
        return root;
    }

    private static void addSpecial(ArrayNode added, int id, String content) {
        added.addObject()
                .put("id", id)
                .put("content", content)
                .put("single_word", false)
                .put("lstrip", false)
                .put("rstrip", false)
                .put("normalized", false)
                .put("special", true);
    }

    /** Writes the tokenizer.json (UTF-8, indented), creating parent directories; returns the file. */
    public Path write(Path file) throws IOException {
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(file.toFile(), toJson());
        return file;
    }
}
