package io.seqvision.tokenizers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaptionVocabularyBuilderTest {

    @TempDir
    Path directory;

    @Test
    void writesAWordLevelTokenizerJsonWithSpecialsFirst() throws IOException {
        CaptionVocabularyBuilder builder = new CaptionVocabularyBuilder()
                .addAll(List.of("a red star, a blue star", "A Red circle"));
        assertEquals(List.of("a", "red", "star", ",", "blue", "circle"), builder.words());
        JsonNode json = new ObjectMapper().readTree(builder.write(directory.resolve("t/tokenizer.json")).toFile());
        assertEquals("WordLevel", json.at("/model/type").asText());
        assertEquals(0, json.at("/model/vocab/[PAD]").asInt());
        assertEquals(1, json.at("/model/vocab/[UNK]").asInt());
        assertEquals(2, json.at("/model/vocab/a").asInt());
        assertEquals("[UNK]", json.at("/model/unk_token").asText());
        assertEquals("Whitespace", json.at("/pre_tokenizer/type").asText());
        assertEquals("Lowercase", json.at("/normalizer/type").asText());
        assertTrue(json.at("/added_tokens/0/special").asBoolean());
        assertEquals(8, builder.size());
    }

    @Test
    void huggingFaceLoadsWhatItWritesAndSplitsAsTheBuilderDoes() throws IOException {
        List<String> captions = CaptionTokenizerTest.SHAPES_CAPTIONS;
        Path file = new CaptionVocabularyBuilder().addAll(captions).write(directory.resolve("tokenizer.json"));
        try (HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(file)) {
            for (String caption : captions) {
                assertEquals(CaptionVocabularyBuilder.pieces(caption),
                        List.of(tokenizer.encode(caption, false, false).getTokens()));
                assertEquals(caption, tokenizer.decode(tokenizer.encode(caption, false, false).getIds(), true));
            }
        }
    }

    @Test
    void rareWordsAreLeftOut() {
        CaptionVocabularyBuilder builder = new CaptionVocabularyBuilder().optMinCount(2)
                .addAll(List.of("a red star", "a blue star"));
        assertEquals(List.of("a", "star"), builder.words());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> builder.optMinCount(0))
                .getMessage().contains("minCount"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> builder.add(null))
                .getMessage().contains("null"));
    }
}
