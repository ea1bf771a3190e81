package io.seqvision.tokenizers;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * Captions as tokens through a HuggingFace {@code tokenizer.json} (any model: WordLevel,
 * WordPiece, BPE, Unigram), loaded offline with {@link HuggingFaceTokenizer}. Prompt: {@code
 * [PROMPT_CAPTION]}. Response: the text tokenizer's ids shifted by {@link Vocabulary#textStart()},
 * truncated to {@code maxTextTokens}, then EOS; every token weighs 1. The tokenizer's own special
 * tokens ([CLS], [SEP], BOS...) are not added: EOS ends the caption.
 *
 * <p>Holds a native tokenizer: close it.
 */
public final class CaptionTokenizer implements AutoCloseable {

    private static final Map<String, String> OPTIONS = Map.of(
            "addSpecialTokens", "false", "truncation", "false", "padding", "false");

    private final Vocabulary vocabulary;
    private final HuggingFaceTokenizer tokenizer;
    private final TokenizerJson json;
    private final int maxTextTokens;

    private CaptionTokenizer(Vocabulary vocabulary, HuggingFaceTokenizer tokenizer, TokenizerJson json, int maxTextTokens) {
        this.vocabulary = vocabulary;
        this.tokenizer = tokenizer;
        this.json = json;
        this.maxTextTokens = maxTextTokens;
    }

    /**
     * Loads a tokenizer.json (a file, or a directory holding one).
     *
     * @param vocabulary whose {@code textTokens} must cover the tokenizer's ids; see {@link
     *     #textVocabularySize(Path)}
     * @param maxTextTokens caption tokens kept before EOS; longer captions are truncated
     * @throws NoSuchFileException when the file does not exist
     * @throws IOException when it cannot be read or is not a tokenizer.json (the message names the
     *     file)
     * @throws IllegalArgumentException when the vocabulary reserves too few text tokens
     */
    public static CaptionTokenizer load(Path tokenizerJson, Vocabulary vocabulary, int maxTextTokens) throws IOException {
        if (maxTextTokens < 1) {
            throw new IllegalArgumentException("maxTextTokens must be at least 1, got " + maxTextTokens);
        }
        Path file = resolve(tokenizerJson);
        TokenizerJson json = TokenizerJson.read(file);
        if (json.vocabularySize() > vocabulary.textTokens()) {
            throw new IllegalArgumentException("caption tokenizer " + file + " has " + json.vocabularySize()
                    + " tokens but the vocabulary reserves only textTokens = " + vocabulary.textTokens());
        }
        HuggingFaceTokenizer tokenizer;
        try {
            tokenizer = HuggingFaceTokenizer.newInstance(file, OPTIONS);
        } catch (RuntimeException e) {
            throw new IOException("malformed tokenizer.json " + file + ": " + e.getMessage(), e);
        }
        return new CaptionTokenizer(vocabulary, tokenizer, json, maxTextTokens);
    }

    /** The number of text ids a tokenizer.json uses (its largest id + 1): the vocabulary's {@code textTokens}. */
    public static int textVocabularySize(Path tokenizerJson) throws IOException {
        return TokenizerJson.read(resolve(tokenizerJson)).vocabularySize();
    }

    private static Path resolve(Path path) throws NoSuchFileException {
        Path file = Files.isDirectory(path) ? path.resolve("tokenizer.json") : path;
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "caption tokenizer.json not found");
        }
        return file;
    }

    public Vocabulary vocabulary() {
        return vocabulary;
    }

    public int maxTextTokens() {
        return maxTextTokens;
    }

    /** Text tokens and EOS. */
    public int maxResponseLength() {
        return maxTextTokens + 1;
    }

    /** {@code [PROMPT_CAPTION]}. */
    public int[] prompt() {
        return new int[] {Vocabulary.PROMPT_CAPTION};
    }

    /**
     * Encodes a caption: its text ids shifted into the vocabulary, cut to {@code maxTextTokens},
     * then EOS.
     */
    public TokenSequence encode(String caption) {
        if (caption == null) {
            throw new IllegalArgumentException("caption is null");
        }
        Encoding encoding = tokenizer.encode(caption, false, false);
        long[] ids = encoding.getIds();
        int kept = Math.min(ids.length, maxTextTokens);
        int[] tokens = new int[kept + 1];
        for (int i = 0; i < kept; i++) {
            if (ids[i] < 0 || ids[i] >= json.vocabularySize()) {
                throw new IllegalStateException("tokenizer " + json.file() + " produced id " + ids[i]
                        + " outside its vocabulary of " + json.vocabularySize());
            }
            tokens[i] = vocabulary.textStart() + (int) ids[i];
        }
        tokens[kept] = Vocabulary.EOS;
        float[] weights = new float[tokens.length];
        Arrays.fill(weights, 1f);
        return new TokenSequence(tokens, weights);
    }

    /**
     * Decodes a response to text: reads text tokens up to EOS or the first token of another kind
     * (a malformed tail is dropped) and lets the tokenizer join them, skipping its special tokens.
     */
    public String decode(int[] tokens) {
        long[] ids = new long[tokens.length];
        int count = 0;
        while (count < tokens.length && vocabulary.isText(tokens[count])) {
            ids[count] = tokens[count] - vocabulary.textStart();
            count++;
        }
        return tokenizer.decode(Arrays.copyOf(ids, count), true);
    }

    /**
     * The grammar of a response: text tokens of the tokenizer (not its special tokens other than
     * the unknown-word token) or EOS; after {@code maxTextTokens} text tokens only EOS.
     */
    public void allowedNext(int[] generated, boolean[] allowed) {
        Arrays.fill(allowed, false);
        allowed[Vocabulary.EOS] = true;
        if (generated.length >= maxTextTokens) {
            return;
        }
        int start = vocabulary.textStart();
        Arrays.fill(allowed, start, start + json.vocabularySize(), true);
        for (int special : json.forbiddenIds()) {
            allowed[start + special] = false;
        }
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
