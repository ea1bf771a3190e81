package io.seqvision.tokenizers;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What seqvision needs to know of a HuggingFace tokenizer.json before handing it to the native
 * library: that it is one, how many ids it uses, and which ids are special.
 *
 * @param vocabularySize largest id of the model's vocabulary or the added tokens, plus 1
 * @param forbiddenIds special added tokens other than the model's unknown-word token: never part
 *     of an encoded caption
 */
record TokenizerJson(Path file, int vocabularySize, int[] forbiddenIds) {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    static TokenizerJson read(Path file) throws IOException {
        JsonNode root;
        try {
            root = MAPPER.readTree(file.toFile());
        } catch (JacksonException e) {
            throw new IOException("malformed tokenizer.json " + file + ": not JSON (" + e.getOriginalMessage() + ")", e);
        }
        if (root == null || !root.isObject()) {
            throw malformed(file, "the top level is not a JSON object");
        }
        JsonNode model = root.get("model");
        if (model == null || !model.isObject()) {
            throw malformed(file, "no \"model\" object");
        }
        JsonNode vocab = model.get("vocab");
        int size;
        if (vocab != null && vocab.isObject()) {
            size = 0;
            for (Map.Entry<String, JsonNode> entry : vocab.properties()) {
                size = Math.max(size, id(file, entry.getValue(), "model.vocab \"" + entry.getKey() + "\"") + 1);
            }
        } else if (vocab != null && vocab.isArray()) {
            size = vocab.size(); // Unigram: [piece, score] pairs, ids by position
        } else {
            throw malformed(file, "\"model\" has no \"vocab\" object or array");
        }
        String unk = model.path("unk_token").isTextual() ? model.get("unk_token").asText() : null;
        List<Integer> forbidden = new ArrayList<>();
        JsonNode added = root.path("added_tokens");
        if (!added.isMissingNode() && !added.isNull() && !added.isArray()) {
            throw malformed(file, "\"added_tokens\" is not an array");
        }
        for (JsonNode token : added) {
            int id = id(file, token.get("id"), "added_tokens entry " + token);
            size = Math.max(size, id + 1);
            if (token.path("special").asBoolean(false) && !token.path("content").asText("").equals(unk)) {
                forbidden.add(id);
            }
        }
        if (size == 0) {
            throw malformed(file, "the vocabulary is empty");
        }
        return new TokenizerJson(file, size, forbidden.stream().mapToInt(Integer::intValue).toArray());
    }

    private static int id(Path file, JsonNode node, String where) throws IOException {
        if (node == null || !node.canConvertToInt() || !node.isIntegralNumber() || node.asInt() < 0) {
            throw malformed(file, where + " has no valid id: " + node);
        }
        return node.asInt();
    }

    private static IOException malformed(Path file, String problem) {
        return new IOException("malformed tokenizer.json " + file + ": " + problem);
    }
}
