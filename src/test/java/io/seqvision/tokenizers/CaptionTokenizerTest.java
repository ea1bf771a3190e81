package io.seqvision.tokenizers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaptionTokenizerTest {

    static final List<String> SHAPES_CAPTIONS = List.of(
            "two blue circles, a green star and a person in red on a white background",
            "a picture of a red triangle",
            "a yellow square at the top left of the image",
            "an orange circle left of a purple star",
            "the largest object is a blue square",
            "a red triangle and two other objects",
            "three people in green, a red star and an orange triangle on a striped background",
            "a person in blue in the centre of the image",
            "a green star below a yellow circle",
            "a picture of two red squares, a blue star and three people in orange");

    @TempDir
    Path directory;

    private Path shapesTokenizer() throws IOException {
        return new CaptionVocabularyBuilder().addAll(SHAPES_CAPTIONS).write(directory.resolve("shapes/tokenizer.json"));
    }

    @Test
    void builtWordTokenizerRoundTripsTheCaptionsExactly() throws IOException {
        Path file = shapesTokenizer();
        Vocabulary vocabulary = new Vocabulary(3, 100, CaptionTokenizer.textVocabularySize(file));
        try (CaptionTokenizer tokenizer = CaptionTokenizer.load(file, vocabulary, 40)) {
            for (String caption : SHAPES_CAPTIONS) {
                TokenSequence s = tokenizer.encode(caption);
                assertEquals(Vocabulary.EOS, s.tokens()[s.length() - 1]);
                assertEquals(CaptionVocabularyBuilder.pieces(caption).size() + 1, s.length());
                for (int i = 0; i < s.length() - 1; i++) {
                    assertTrue(vocabulary.isText(s.tokens()[i]));
                    assertTrue(s.tokens()[i] != vocabulary.textStart() + 1, "no [UNK] in " + caption);
                    assertEquals(1f, s.weights()[i]);
                }
                assertEquals(caption, tokenizer.decode(s.tokens()));
                Grammars.assertAccepted(s.tokens(), tokenizer::allowedNext, vocabulary.size());
            }
            assertArrayEquals(new int[] {Vocabulary.PROMPT_CAPTION}, tokenizer.prompt());
        }
    }

    @Test
    void idsFollowTheBuildersWordOrderShiftedIntoTheTextRange() throws IOException {
        CaptionVocabularyBuilder builder = new CaptionVocabularyBuilder().addAll(SHAPES_CAPTIONS);
        Path file = builder.write(directory.resolve("tokenizer.json"));
        assertEquals(builder.size(), CaptionTokenizer.textVocabularySize(file));
        Vocabulary vocabulary = new Vocabulary(3, 100, builder.size() + 5);
        List<String> words = builder.words();
        try (CaptionTokenizer tokenizer = CaptionTokenizer.load(directory, vocabulary, 40)) {
            int[] tokens = tokenizer.encode("A Picture").tokens();
            assertArrayEquals(new int[] {vocabulary.textStart() + 2 + words.indexOf("a"),
                    vocabulary.textStart() + 2 + words.indexOf("picture"), Vocabulary.EOS}, tokens);
            assertEquals("a", words.get(0), "the commonest word comes first");
        }
    }

    @Test
    void unknownWordsBecomeUnkAndDecodingSkipsThem() throws IOException {
        Path file = shapesTokenizer();
        Vocabulary vocabulary = new Vocabulary(3, 100, CaptionTokenizer.textVocabularySize(file));
        try (CaptionTokenizer tokenizer = CaptionTokenizer.load(file, vocabulary, 40)) {
            int[] tokens = tokenizer.encode("a magenta hexagon").tokens();
            int unk = vocabulary.textStart() + 1;
            assertArrayEquals(new int[] {tokens[0], unk, unk, Vocabulary.EOS}, tokens);
            assertEquals("a", tokenizer.decode(tokens));
            boolean[] allowed = new boolean[vocabulary.size()];
            tokenizer.allowedNext(new int[0], allowed);
            assertTrue(allowed[unk] && allowed[Vocabulary.EOS] && allowed[vocabulary.textStart() + 2]);
            assertFalse(allowed[vocabulary.textStart()], "[PAD] is never generated");
            assertFalse(allowed[vocabulary.coordStart()]);
        }
    }

    @Test
    void longCaptionsAreTruncatedAndTheGrammarEndsThem() throws IOException {
        Path file = shapesTokenizer();
        Vocabulary vocabulary = new Vocabulary(3, 100, CaptionTokenizer.textVocabularySize(file));
        try (CaptionTokenizer tokenizer = CaptionTokenizer.load(file, vocabulary, 4)) {
            TokenSequence s = tokenizer.encode(SHAPES_CAPTIONS.get(0));
            assertEquals(5, s.length());
            assertEquals(tokenizer.maxResponseLength(), s.length());
            assertEquals("two blue circles,", tokenizer.decode(s.tokens()));
            boolean[] allowed = new boolean[vocabulary.size()];
            tokenizer.allowedNext(Arrays.copyOf(s.tokens(), 4), allowed);
            assertTrue(allowed[Vocabulary.EOS]);
            assertFalse(allowed[s.tokens()[0]], "after maxTextTokens only EOS");
            assertArrayEquals(new int[] {Vocabulary.EOS}, tokenizer.encode("").tokens());
        }
    }

    @Test
    void decodingStopsAtEndOrAMalformedTail() throws IOException {
        Path file = shapesTokenizer();
        Vocabulary vocabulary = new Vocabulary(3, 100, CaptionTokenizer.textVocabularySize(file));
        try (CaptionTokenizer tokenizer = CaptionTokenizer.load(file, vocabulary, 40)) {
            int[] words = tokenizer.encode("a red star").tokens();
            int[] withTail = Arrays.copyOf(words, words.length + 3);
            withTail[words.length] = words[0];
            assertEquals("a red star", tokenizer.decode(withTail), "text after EOS is ignored");
            int[] broken = {words[0], words[1], vocabulary.coordStart(), words[2]};
            assertEquals("a red", tokenizer.decode(broken));
            assertEquals("", tokenizer.decode(new int[0]));
        }
    }

    @Test
    void acceptsAHandWrittenBertStyleWordPieceTokenizer() throws IOException {
        String json = """
                {"version": "1.0", "truncation": null, "padding": null,
                 "added_tokens": [
                   {"id": 0, "content": "[PAD]", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true},
                   {"id": 1, "content": "[UNK]", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true},
                   {"id": 2, "content": "[CLS]", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true},
                   {"id": 3, "content": "[SEP]", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true}],
                 "normalizer": {"type": "BertNormalizer", "clean_text": true, "handle_chinese_chars": true, "strip_accents": null, "lowercase": true},
                 "pre_tokenizer": {"type": "BertPreTokenizer"},
                 "post_processor": {"type": "TemplateProcessing",
                   "single": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}, {"SpecialToken": {"id": "[SEP]", "type_id": 0}}],
                   "pair": [{"SpecialToken": {"id": "[CLS]", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}, {"SpecialToken": {"id": "[SEP]", "type_id": 0}}, {"Sequence": {"id": "B", "type_id": 1}}, {"SpecialToken": {"id": "[SEP]", "type_id": 1}}],
                   "special_tokens": {"[CLS]": {"id": "[CLS]", "ids": [2], "tokens": ["[CLS]"]}, "[SEP]": {"id": "[SEP]", "ids": [3], "tokens": ["[SEP]"]}}},
                 "decoder": {"type": "WordPiece", "prefix": "##", "cleanup": true},
                 "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": "##", "max_input_chars_per_word": 100,
                   "vocab": {"[PAD]": 0, "[UNK]": 1, "[CLS]": 2, "[SEP]": 3, "the": 4, "red": 5, "circle": 6, "##s": 7,
                             "a": 8, "blue": 9, "square": 10, "and": 11, ",": 12, ".": 13}}}
                """;
        Path file = Files.writeString(directory.resolve("bert.json"), json);
        assertEquals(14, CaptionTokenizer.textVocabularySize(file));
        Vocabulary vocabulary = new Vocabulary(3, 100, 14);
        try (CaptionTokenizer tokenizer = CaptionTokenizer.load(file, vocabulary, 20)) {
            int t = vocabulary.textStart();
            int[] tokens = tokenizer.encode("The red circles, a blue square.").tokens();
            assertArrayEquals(new int[] {t + 4, t + 5, t + 6, t + 7, t + 12, t + 8, t + 9, t + 10, t + 13, Vocabulary.EOS},
                    tokens, "no [CLS]/[SEP]: EOS ends the caption");
            assertEquals("the red circles, a blue square.", tokenizer.decode(tokens));
            Grammars.assertAccepted(tokens, tokenizer::allowedNext, vocabulary.size());
            boolean[] allowed = new boolean[vocabulary.size()];
            tokenizer.allowedNext(new int[0], allowed);
            assertFalse(allowed[t] || allowed[t + 2] || allowed[t + 3], "[PAD] [CLS] [SEP] are not generated");
            assertTrue(allowed[t + 1], "[UNK] may be");
        }
    }

    @Test
    void acceptsAHandWrittenGpt2StyleByteLevelBpeTokenizer() throws IOException {
        String json = """
                {"version": "1.0", "truncation": null, "padding": null,
                 "added_tokens": [{"id": 14, "content": "<|endoftext|>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": true, "special": true}],
                 "normalizer": null,
                 "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true, "use_regex": true},
                 "post_processor": {"type": "ByteLevel", "add_prefix_space": true, "trim_offsets": false, "use_regex": true},
                 "decoder": {"type": "ByteLevel", "add_prefix_space": true, "trim_offsets": true, "use_regex": true},
                 "model": {"type": "BPE", "dropout": null, "unk_token": null, "continuing_subword_prefix": "", "end_of_word_suffix": "",
                   "fuse_unk": false, "byte_fallback": false,
                   "vocab": {"a": 0, "b": 1, "d": 2, "e": 3, "o": 4, "r": 5, "x": 6, "\u0120": 7, "\u0120r": 8, "ed": 9,
                             "\u0120red": 10, "\u0120b": 11, "ox": 12, "\u0120box": 13},
                   "merges": ["\u0120 r", "e d", "\u0120r ed", "\u0120 b", "o x", "\u0120b ox"]}}
                """;
        Path file = Files.writeString(directory.resolve("gpt2.json"), json);
        assertEquals(15, CaptionTokenizer.textVocabularySize(file));
        Vocabulary vocabulary = new Vocabulary(3, 100, 15);
        try (CaptionTokenizer tokenizer = CaptionTokenizer.load(file, vocabulary, 20)) {
            int t = vocabulary.textStart();
            int[] tokens = tokenizer.encode("a red box").tokens();
            assertArrayEquals(new int[] {t, t + 10, t + 13, Vocabulary.EOS}, tokens);
            assertEquals("a red box", tokenizer.decode(tokens));
            Grammars.assertAccepted(tokens, tokenizer::allowedNext, vocabulary.size());
        }
    }

    @Test
    void aMissingOrMalformedFileIsNamed() throws IOException {
        Vocabulary vocabulary = new Vocabulary(3, 100, 50);
        Path missing = directory.resolve("nowhere/tokenizer.json");
        String message = assertThrows(NoSuchFileException.class,
                () -> CaptionTokenizer.load(missing, vocabulary, 10)).getMessage();
        assertTrue(message.contains(missing.toString()) && message.contains("not found"), message);

        Path notJson = Files.writeString(directory.resolve("broken.json"), "{ \"model\": ");
        message = assertThrows(IOException.class, () -> CaptionTokenizer.load(notJson, vocabulary, 10)).getMessage();
        assertTrue(message.contains("malformed tokenizer.json") && message.contains("broken.json"), message);

        Path noModel = Files.writeString(directory.resolve("nomodel.json"), "{\"version\": \"1.0\"}");
        message = assertThrows(IOException.class, () -> CaptionTokenizer.load(noModel, vocabulary, 10)).getMessage();
        assertTrue(message.contains("nomodel.json") && message.contains("\"model\""), message);

        Path badId = Files.writeString(directory.resolve("badid.json"),
                "{\"model\": {\"type\": \"WordLevel\", \"vocab\": {\"a\": \"zero\"}, \"unk_token\": \"a\"}}");
        message = assertThrows(IOException.class, () -> CaptionTokenizer.load(badId, vocabulary, 10)).getMessage();
        assertTrue(message.contains("badid.json") && message.contains("\"a\""), message);

        Path unknownModel = Files.writeString(directory.resolve("unknown.json"),
                "{\"model\": {\"type\": \"NoSuchModel\", \"vocab\": {\"a\": 0}}}");
        message = assertThrows(IOException.class, () -> CaptionTokenizer.load(unknownModel, vocabulary, 10)).getMessage();
        assertTrue(message.contains("unknown.json") && message.contains("malformed"), message);
    }

    @Test
    void aVocabularyWithTooFewTextTokensIsRefused() throws IOException {
        Path file = shapesTokenizer();
        int size = CaptionTokenizer.textVocabularySize(file);
        Vocabulary small = new Vocabulary(3, 100, size - 1);
        String message = assertThrows(IllegalArgumentException.class,
                () -> CaptionTokenizer.load(file, small, 10)).getMessage();
        assertTrue(message.contains(size + " tokens") && message.contains("textTokens = " + (size - 1)), message);
        Vocabulary enough = new Vocabulary(3, 100, size);
        assertThrows(IllegalArgumentException.class, () -> CaptionTokenizer.load(file, enough, 0));
    }
}
