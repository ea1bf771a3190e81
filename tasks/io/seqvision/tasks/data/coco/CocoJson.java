package io.seqvision.tasks.data.coco;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.seqvision.tasks.data.DatasetException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Streams the top-level arrays of a COCO JSON file, one entry at a time (the file's JSON tree is never held
 * whole), turning each entry into a record; shared by the instances and captions loaders.
 */
final class CocoJson {

    // Python's json module writes NaN and Infinity; reading them lets the field checks report them clearly
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

    private CocoJson() {}

    /** Turns one array entry into a record, failing through {@link EntryReader#fail}. */
    @FunctionalInterface
    interface EntryParser<T> {
        T parse(EntryReader entry);
    }

    /** A top-level array to read and how to read its entries. */
    record ArraySpec<T>(String name, EntryParser<T> parser) {}

    /** The arrays read, by their specs. */
    static final class Arrays {
        private final Path file;
        private final Map<String, List<?>> lists = new HashMap<>();

        private Arrays(Path file) {
            this.file = file;
        }

        /** @throws DatasetException if the file has no such top-level field */
        @SuppressWarnings("unchecked") // read(...) stores each list under its spec's name, parsed by that spec
        <T> List<T> require(ArraySpec<T> spec) {
            List<?> list = lists.get(spec.name());
            if (list == null) {
                throw new DatasetException(file + ": missing required top-level field '" + spec.name() + "'");
            }
            return (List<T>) list;
        }
    }

    /**
     * Reads the named top-level arrays of {@code file}; other top-level fields are skipped.
     *
     * @throws DatasetException for malformed JSON (with line and column), a top level that is not an object, a
     *     named field that is not an array, or an entry its parser rejects
     */
    static Arrays read(Path file, List<ArraySpec<?>> specs) {
        Map<String, ArraySpec<?>> byName = new HashMap<>();
        specs.forEach(spec -> byName.put(spec.name(), spec));
        Arrays arrays = new Arrays(file);
        try (JsonParser parser = JSON.createParser(file.toFile())) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new DatasetException(file + ": the top level must be a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                ArraySpec<?> spec = byName.get(field);
                if (spec == null) {
                    parser.skipChildren();
                } else {
                    arrays.lists.put(field, readArray(parser, file, spec, value));
                }
            }
            if (parser.nextToken() != null) {
                throw new DatasetException(file + ": unexpected content after the top-level object at "
                        + where(parser.currentLocation()));
            }
        } catch (JsonProcessingException e) {
            throw new DatasetException(file + ": malformed JSON at " + where(e.getLocation()) + ": "
                    + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new DatasetException(file + ": cannot read: " + e.getMessage(), e);
        }
        return arrays;
    }

    private static <T> List<T> readArray(JsonParser parser, Path file, ArraySpec<T> spec, JsonToken start)
            throws IOException {
        if (start != JsonToken.START_ARRAY) {
            throw new DatasetException(file + ": top-level field '" + spec.name() + "' must be an array, got " + start
                    + " at " + where(parser.currentLocation()));
        }
        List<T> entries = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            JsonNode node = parser.readValueAsTree();
            entries.add(spec.parser().parse(new EntryReader(file, spec.name(), entries.size(), node)));
        }
        return entries;
    }

    /** @throws DatasetException naming both positions if two entries share an id */
    static <T> void checkUnique(Path file, String kind, List<T> entries, Function<T, Long> id) {
        Map<Long, Integer> firstIndex = new HashMap<>();
        String section = kind.equals("category") ? "categories" : kind + "s";
        for (int i = 0; i < entries.size(); i++) {
            Integer previous = firstIndex.putIfAbsent(id.apply(entries.get(i)), i);
            if (previous != null) {
                throw new DatasetException(file + ": duplicate " + kind + " id " + id.apply(entries.get(i)) + " ("
                        + section + "[" + previous + "] and " + section + "[" + i + "])");
            }
        }
    }

    private static String where(JsonLocation location) {
        return location == null ? "unknown position"
                : "line " + location.getLineNr() + ", column " + location.getColumnNr();
    }
}
