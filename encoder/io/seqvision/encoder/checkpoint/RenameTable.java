package io.seqvision.encoder.checkpoint;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How one family's checkpoint names map to the names its model uses: an ordered list of
 * regular-expression rewrites applied in turn to every name of a file (as timm's {@code
 * checkpoint_filter_fn} does), plus the prefixes of the classification head so that it can be
 * dropped. Declarative: a table is data, built once per family.
 */
public final class RenameTable {

    /** One rewrite: every match of {@code pattern} in a name becomes {@code replacement}. */
    public record Rule(Pattern pattern, String replacement) {}

    /** A table that renames nothing and knows no head. */
    public static final RenameTable IDENTITY = builder().build();

    private final List<Rule> rules;
    private final List<String> headPrefixes;

    private RenameTable(Builder builder) {
        rules = List.copyOf(builder.rules);
        headPrefixes = List.copyOf(builder.headPrefixes);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The model's name for a file's tensor {@code name}. */
    public String rename(String name) {
        String renamed = name;
        for (Rule rule : rules) {
            Matcher matcher = rule.pattern().matcher(renamed);
            renamed = matcher.replaceAll(rule.replacement());
        }
        return renamed;
    }

    /** Whether the model name {@code name} belongs to the classification head. */
    public boolean isHead(String name) {
        for (String prefix : headPrefixes) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    public List<Rule> rules() {
        return Collections.unmodifiableList(rules);
    }

    /** Builds a {@link RenameTable}; rules apply in the order added. */
    public static final class Builder {
        private final List<Rule> rules = new ArrayList<>();
        private final List<String> headPrefixes = new ArrayList<>();

        private Builder() {}

        /**
         * Adds a rewrite, {@code regex} as {@link Pattern}, {@code replacement} with {@code $1}
         * group references as {@link Matcher#replaceAll(String)}.
         */
        public Builder rename(String regex, String replacement) {
            rules.add(new Rule(Pattern.compile(regex), replacement));
            return this;
        }

        /** Model names starting with {@code prefix} (after renaming) belong to the head. */
        public Builder head(String prefix) {
            headPrefixes.add(prefix);
            return this;
        }

        public RenameTable build() {
            return new RenameTable(this);
        }
    }
}
