package io.seqvision.encoder;

import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * An explicit map from encoder names (as configs write them) to factories. Nothing registers
 * itself: {@link #defaults()} lists every built-in variant in one place.
 */
public final class EncoderRegistry {

    /** Builds one variant with options; {@code optionKeys} lists the options it takes. */
    private record Factory(Function<EncoderOptions, Encoder> create, Set<String> optionKeys) {}

    private final Map<String, Factory> factories = new TreeMap<>();
    private final Map<String, String> formerNames = new TreeMap<>();

    /** The registry of every built-in encoder variant. */
    public static EncoderRegistry defaults() {
        EncoderRegistry registry = new EncoderRegistry();
        io.seqvision.encoder.convnext.ConvNeXtVariants.registerAll(registry);
        io.seqvision.encoder.replknet.RepLKNetVariants.registerAll(registry);
        io.seqvision.encoder.slak.SLaKVariants.registerAll(registry);
        io.seqvision.encoder.hornet.HorNetVariants.registerAll(registry);
        io.seqvision.encoder.internimage.InternImageVariants.registerAll(registry);
        io.seqvision.encoder.pelk.PeLKVariants.registerAll(registry);
        return registry;
    }

    /**
     * Adds a variant that takes options: {@code create} builds it from {@code variant}'s builder
     * after {@code options} applied what a config asks.
     *
     * @throws IllegalArgumentException if the name is already taken
     */
    public <B> EncoderRegistry register(
            String name, Supplier<B> variant, OptionTable<B> options, Function<B, ? extends Encoder> build) {
        return add(name, new Factory(o -> build.apply(options.apply(variant.get(), o)), options.keys()));
    }

    /**
     * Adds a variant that takes no options.
     *
     * @throws IllegalArgumentException if the name is already taken
     */
    public EncoderRegistry register(String name, Supplier<Encoder> factory) {
        return add(name, new Factory(o -> {
            OptionTable.<Void>builder().build().apply(null, o);
            return factory.get();
        }, Set.of()));
    }

    private EncoderRegistry add(String name, Factory factory) {
        if (factories.containsKey(name) || formerNames.containsKey(name)) {
            throw new IllegalArgumentException("encoder '" + name + "' is already registered");
        }
        factories.put(name, factory);
        return this;
    }

    /**
     * Keeps an old name of a registered encoder working (configs saved with it still load); the
     * old name is not listed by {@link #names()}.
     *
     * @throws IllegalArgumentException if {@code formerName} is taken or {@code name} unknown
     */
    public EncoderRegistry registerFormerName(String formerName, String name) {
        if (factories.containsKey(formerName) || formerNames.containsKey(formerName)) {
            throw new IllegalArgumentException("encoder '" + formerName + "' is already registered");
        }
        if (!factories.containsKey(name)) {
            throw new IllegalArgumentException("cannot rename to unknown encoder '" + name + "'");
        }
        formerNames.put(formerName, name);
        return this;
    }

    /**
     * Builds a fresh, uninitialised encoder.
     *
     * @throws IllegalArgumentException naming the valid encoders if {@code name} is unknown
     */
    public Encoder create(String name) {
        return create(name, EncoderOptions.NONE);
    }

    /**
     * Builds a fresh, uninitialised encoder with {@code options} applied.
     *
     * @throws IllegalArgumentException naming the valid encoders if {@code name} is unknown, or
     *     the option at fault (an unknown key with the valid ones, a value of the wrong type or out
     *     of range)
     */
    public Encoder create(String name, EncoderOptions options) {
        return factory(name).create().apply(options);
    }

    /** The options {@code name} takes, in its family's order. */
    public Set<String> optionKeys(String name) {
        return factory(name).optionKeys();
    }

    private Factory factory(String name) {
        Factory factory = factories.get(formerNames.getOrDefault(name, name));
        if (factory == null) {
            throw new IllegalArgumentException(
                    "unknown encoder '" + name + "'; valid encoders: " + String.join(", ", names()));
        }
        return factory;
    }

    public boolean contains(String name) {
        return factories.containsKey(name) || formerNames.containsKey(name);
    }

    /** Registered names in sorted order. */
    public Set<String> names() {
        return Collections.unmodifiableSet(factories.keySet());
    }
}
