package io.seqvision.tasks.data.coco;

import com.fasterxml.jackson.databind.JsonNode;
import io.seqvision.tasks.data.DatasetException;
import java.nio.file.Path;

/**
 * Reads typed fields of one JSON entry, failing with a message that names the file, the entry (e.g.
 * {@code annotations[4] (id 17)}) and the field.
 */
final class EntryReader {

    private final Path file;
    private final JsonNode node;
    private String entry;

    EntryReader(Path file, String section, int index, JsonNode node) {
        this.file = file;
        this.node = node;
        this.entry = section + "[" + index + "]";
        if (!node.isObject()) {
            throw fail("expected a JSON object, got " + abbreviate(node));
        }
    }

    /** Adds the entry's id to later messages. */
    void identify(Object id) {
        entry = entry + " (id " + id + ")";
    }

    String entry() {
        return entry;
    }

    boolean has(String field) {
        JsonNode value = node.get(field);
        return value != null && !value.isNull();
    }

    JsonNode require(String field) {
        if (!has(field)) {
            throw fail("missing required field '" + field + "'");
        }
        return node.get(field);
    }

    long requireLong(String field) {
        JsonNode value = require(field);
        if (!isIntegral(value)) {
            throw fail("field '" + field + "' must be an integer, got " + abbreviate(value));
        }
        return value.asLong();
    }

    int requireInt(String field) {
        long value = requireLong(field);
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw fail("field '" + field + "' is out of the int range: " + value);
        }
        return (int) value;
    }

    String requireText(String field) {
        JsonNode value = require(field);
        if (!value.isTextual() || value.asText().isEmpty()) {
            throw fail("field '" + field + "' must be a non-empty string, got " + abbreviate(value));
        }
        return value.asText();
    }

    double requireNumber(String field) {
        JsonNode value = require(field);
        if (!value.isNumber()) {
            throw fail("field '" + field + "' must be a number, got " + abbreviate(value));
        }
        return value.asDouble();
    }

    DatasetException fail(String problem) {
        return new DatasetException(file + ": " + entry + ": " + problem);
    }

    static boolean isIntegral(JsonNode value) {
        return value.isIntegralNumber() && value.canConvertToLong()
                || value.isFloatingPointNumber() && value.asDouble() == Math.rint(value.asDouble())
                        && Math.abs(value.asDouble()) < 0x1p53;
    }

    static String abbreviate(JsonNode value) {
        String text = value.toString();
        return text.length() > 80 ? text.substring(0, 77) + "..." : text;
    }
}
