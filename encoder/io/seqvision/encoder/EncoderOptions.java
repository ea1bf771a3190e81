package io.seqvision.encoder;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Settings that change a registered encoder variant (drop path, layer scale, kernel sizes, ...), by
 * the snake_case names a config writes under {@code model.encoder_options}. Values are what a
 * YAML/JSON reader produces: numbers, booleans, strings, lists of numbers. Immutable; which keys an
 * encoder takes is its family's {@link OptionTable}.
 */
public final class EncoderOptions {

    /** No options: the variant as registered. */
    public static final EncoderOptions NONE = new EncoderOptions(Map.of());

    private final Map<String, Object> values;

    private EncoderOptions(Map<String, Object> values) {
        this.values = Collections.unmodifiableMap(new TreeMap<>(values));
    }

    /**
     * @throws IllegalArgumentException naming the key whose value is null
     */
    public static EncoderOptions of(Map<String, ?> values) {
        for (Map.Entry<String, ?> entry : values.entrySet()) {
            if (entry.getValue() == null) {
                throw new IllegalArgumentException("encoder option '" + entry.getKey() + "' has no value");
            }
        }
        return values.isEmpty() ? NONE : new EncoderOptions(Map.copyOf(values));
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    /** The options by name, sorted. */
    public Map<String, Object> values() {
        return values;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof EncoderOptions o && o.values.equals(values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return values.toString();
    }

    static double number(String key, Object value) {
        if (value instanceof Number number) {
            return number.doubleValue();
        }
        throw wrongType(key, value, "a number");
    }

    static int integer(String key, Object value) {
        double number = number(key, value);
        if (number != Math.rint(number) || Math.abs(number) > Integer.MAX_VALUE) {
            throw wrongType(key, value, "a whole number");
        }
        return (int) number;
    }

    static int[] integers(String key, Object value) {
        if (!(value instanceof List<?> list) || list.isEmpty()) {
            throw wrongType(key, value, "a list of whole numbers, one per stage");
        }
        int[] ints = new int[list.size()];
        for (int i = 0; i < ints.length; i++) {
            ints[i] = integer(key, list.get(i));
        }
        return ints;
    }

    static boolean bool(String key, Object value) {
        if (value instanceof Boolean b) {
            return b;
        }
        throw wrongType(key, value, "true or false");
    }

    static IllegalArgumentException wrongType(String key, Object value, String expected) {
        return new IllegalArgumentException("encoder option '" + key + "' must be " + expected + ", got " + value);
    }
}
