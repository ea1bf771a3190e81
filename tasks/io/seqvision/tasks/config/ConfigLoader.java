package io.seqvision.tasks.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads a YAML or JSON config over the bundled defaults into an immutable {@link SeqVisionConfig}.
 * Unknown keys, values of the wrong type and out-of-range values are errors whose message names
 * the file and the key path ({@code training.batch_size}).
 */
public final class ConfigLoader {

    private static final String DEFAULTS = "default-config.yaml";

    /** Mappings whose keys the defaults cannot list: a layer replaces them whole; their owner checks the keys. */
    private static final Set<String> FREE_FORM = Set.of("model.encoder_options");

    private ConfigLoader() {}

    /** The bundled defaults alone. */
    public static SeqVisionConfig defaults() {
        return bind(defaultTree(), "<defaults>");
    }

    public static SeqVisionConfig load(Path file) {
        return parse(readText(file, "config file"), file.toString());
    }

    /** A config file's text; {@code what} names the file's role in the error when it cannot be read. */
    public static String readText(Path file, String what) {
        try {
            return Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(what + " not found: " + file);
        } catch (IOException e) {
            throw new ConfigException("cannot read " + what + " " + file + ": " + e.getMessage(), e);
        }
    }

    /** Parses config text; {@code source} names it in error messages. */
    public static SeqVisionConfig parse(String text, String source) {
        JsonNode user = readTree(text, source);
        if (user == null || user.isMissingNode() || user.isNull() || (user.isObject() && user.isEmpty())) {
            // an empty file is a mistake (a wrong path, a failed copy), not a request for a 3000-step default run
            throw new ConfigException(source + ": the config is empty; give at least 'name' (the defaults fill"
                    + " in the rest)");
        }
        return overlay(source, text);
    }

    private static JsonNode readTree(String text, String source) {
        try {
            return yaml().readTree(text);
        } catch (JsonProcessingException e) {
            String message = e.getOriginalMessage();
            if (message != null && message.startsWith("Duplicate field '")) {
                String key = message.substring("Duplicate field '".length(), message.indexOf('\'', 17));
                throw new ConfigException(source + ": key '" + key + "' appears twice" + locationOf(e)
                        + "; merge the two into one", e);
            }
            throw new ConfigException(source + ": not valid YAML/JSON: " + message + locationOf(e), e);
        }
    }

    /**
     * Parses config texts laid over the defaults in order, each changing what it names (a base
     * config, then a variation of it); {@code source} names them in error messages.
     */
    public static SeqVisionConfig overlay(String source, String... layers) {
        ObjectNode merged = defaultTree();
        for (String text : layers) {
            JsonNode user = readTree(text, source);
            if (user != null && !user.isMissingNode() && !user.isNull()) {
                if (!user.isObject()) {
                    throw new ConfigException(source + ": the top level must be a mapping of keys");
                }
                merge(merged, (ObjectNode) user, "", source);
            }
        }
        return bind(merged, source);
    }

    /**
     * The dotted paths of the values a config text sets (a list is one value), in order, to check
     * what a layer may change before laying it over a config.
     */
    public static List<String> keysSetBy(String text, String source) {
        JsonNode tree = readTree(text, source);
        List<String> keys = new ArrayList<>();
        if (tree != null && !tree.isMissingNode() && !tree.isNull()) {
            if (!tree.isObject()) {
                throw new ConfigException(source + ": the top level must be a mapping of keys");
            }
            collectKeys(tree, "", keys);
        }
        return keys;
    }

    private static void collectKeys(JsonNode node, String path, List<String> keys) {
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String key = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
            if (field.getValue().isObject()) {
                collectKeys(field.getValue(), key, keys);
            } else {
                keys.add(key);
            }
        }
    }

    /** Writes a config as YAML (the file {@link #parse} reads back to an equal record). */
    public static String toYaml(SeqVisionConfig config) {
        try {
            return yaml().writeValueAsString(config);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void merge(ObjectNode into, ObjectNode from, String path, String source) {
        Iterator<Map.Entry<String, JsonNode>> fields = from.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String key = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
            JsonNode existing = into.get(field.getKey());
            if (existing == null) {
                throw new ConfigException(source + ": unknown key '" + key + "'; valid keys here: "
                        + validKeys(into));
            }
            if (FREE_FORM.contains(key) && field.getValue().isObject()) {
                into.set(field.getKey(), field.getValue());
            } else if (existing.isObject() && field.getValue().isObject()) {
                merge((ObjectNode) existing, (ObjectNode) field.getValue(), key, source);
            } else if (existing.isObject()) {
                throw new ConfigException(source + ": key '" + key + "' must be a mapping, got "
                        + field.getValue());
            } else {
                into.set(field.getKey(), field.getValue());
            }
        }
    }

    private static String validKeys(ObjectNode node) {
        Iterator<String> names = node.fieldNames();
        StringBuilder sb = new StringBuilder();
        while (names.hasNext()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(names.next());
        }
        return sb.toString();
    }

    private static SeqVisionConfig bind(ObjectNode tree, String source) {
        SeqVisionConfig config;
        try {
            config = yaml().treeToValue(tree, SeqVisionConfig.class);
        } catch (UnrecognizedPropertyException e) {
            throw new ConfigException(source + ": unknown key '" + pathOf(e) + "'", e);
        } catch (InvalidFormatException e) {
            throw new ConfigException(source + ": key '" + pathOf(e) + "' expects "
                    + describe(e.getTargetType()) + " but got '" + e.getValue() + "'", e);
        } catch (MismatchedInputException e) {
            // Jackson's own text names its internals (CoercionConfig, constructor arguments): say it in the config's terms
            JsonNode value = tree.at("/" + pathOf(e).replace('.', '/'));
            throw new ConfigException(source + ": key '" + pathOf(e) + "' expects "
                    + describe(e.getTargetType())
                    + (value.isMissingNode() ? "" : " but got " + (value.isTextual() ? "'" + value.asText() + "' (quoted)"
                            : value.isNull() ? "nothing" : value.toString())), e);
        } catch (JsonProcessingException e) {
            throw new ConfigException(source + ": " + e.getOriginalMessage(), e);
        }
        ConfigValidator.validate(config, source);
        return config;
    }

    private static String pathOf(MismatchedInputException e) {
        return e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."));
    }

    private static String describe(Class<?> type) {
        if (type == null) {
            return "another type";
        }
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "an integer";
        }
        if (type == double.class || type == Double.class || type == float.class) {
            return "a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        return "a mapping (" + type.getSimpleName() + ")";
    }

    private static String locationOf(JsonProcessingException e) {
        return e.getLocation() == null
                ? ""
                : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
    }

    private static ObjectNode defaultTree() {
        try (InputStream in = ConfigLoader.class.getResourceAsStream(DEFAULTS)) {
            if (in == null) {
                throw new IllegalStateException("bundled " + DEFAULTS + " is missing from the class path");
            }
            return (ObjectNode) yaml().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ObjectMapper yaml() {
        return JsonMapper.builder(new YAMLFactory())
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
                .build();
    }
}
