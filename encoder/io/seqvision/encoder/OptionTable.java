package io.seqvision.encoder;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.ObjDoubleConsumer;
import java.util.function.ObjIntConsumer;

/**
 * One family's encoder options: each snake_case key a config may write under {@code
 * model.encoder_options}, bound to the builder setter it calls. Declarative, like the families'
 * rename tables: a table is data, built once per family.
 *
 * @param <B> the family's builder
 */
public final class OptionTable<B> {

    private final Map<String, BiConsumer<B, Object>> setters;

    private OptionTable(Map<String, BiConsumer<B, Object>> setters) {
        this.setters = Collections.unmodifiableMap(new LinkedHashMap<>(setters));
    }

    public static <B> Builder<B> builder() {
        return new Builder<>();
    }

    /** The keys this family takes, in table order. */
    public Set<String> keys() {
        return setters.keySet();
    }

    /**
     * Calls the setter of every option on {@code builder}.
     *
     * @return {@code builder}
     * @throws IllegalArgumentException naming an unknown key (and the valid ones) or a value of
     *     the wrong type
     */
    public B apply(B builder, EncoderOptions options) {
        for (Map.Entry<String, Object> option : options.values().entrySet()) {
            BiConsumer<B, Object> setter = setters.get(option.getKey());
            if (setter == null) {
                throw new IllegalArgumentException("unknown encoder option '" + option.getKey() + "'; this encoder takes "
                        + (setters.isEmpty() ? "none" : String.join(", ", setters.keySet())));
            }
            setter.accept(builder, option.getValue());
        }
        return builder;
    }

    /** Builds an {@link OptionTable}; a key added twice throws. */
    public static final class Builder<B> {
        private final Map<String, BiConsumer<B, Object>> setters = new LinkedHashMap<>();

        private Builder() {}

        public Builder<B> number(String key, ObjDoubleConsumer<B> setter) {
            return add(key, (b, v) -> setter.accept(b, EncoderOptions.number(key, v)));
        }

        public Builder<B> integer(String key, ObjIntConsumer<B> setter) {
            return add(key, (b, v) -> setter.accept(b, EncoderOptions.integer(key, v)));
        }

        /** A list of whole numbers, one per stage. */
        public Builder<B> integers(String key, BiConsumer<B, int[]> setter) {
            return add(key, (b, v) -> setter.accept(b, EncoderOptions.integers(key, v)));
        }

        public Builder<B> bool(String key, BiConsumer<B, Boolean> setter) {
            return add(key, (b, v) -> setter.accept(b, EncoderOptions.bool(key, v)));
        }

        /** One of {@code type}'s constants, written in any case ({@code fft}, {@code FFT}). */
        public <E extends Enum<E>> Builder<B> choice(String key, Class<E> type, BiConsumer<B, E> setter) {
            return add(key, (b, v) -> {
                for (E constant : type.getEnumConstants()) {
                    if (constant.name().equalsIgnoreCase(String.valueOf(v))) {
                        setter.accept(b, constant);
                        return;
                    }
                }
                StringBuilder valid = new StringBuilder();
                for (E constant : type.getEnumConstants()) {
                    valid.append(valid.length() == 0 ? "" : ", ").append(constant.name().toLowerCase(Locale.ROOT));
                }
                throw EncoderOptions.wrongType(key, v, "one of " + valid);
            });
        }

        private Builder<B> add(String key, BiConsumer<B, Object> setter) {
            if (setters.putIfAbsent(key, setter) != null) {
                throw new IllegalArgumentException("encoder option '" + key + "' is in the table twice");
            }
            return this;
        }

        public OptionTable<B> build() {
            return new OptionTable<>(setters);
        }
    }
}
