package io.seqvision.tasks.config;

/**
 * A whole run, as one YAML or JSON file describes it. Keys are snake_case in the file; any key
 * left out takes its value from {@code default-config.yaml} (bundled), so a file names only what
 * it changes. See {@link ConfigLoader}.
 */
public record SeqVisionConfig(
        String name,
        long seed,
        String outputDir,
        DataConfig data,
        ModelConfig model,
        TokenizerConfig tokenizer,
        TrainingConfig training,
        EvalConfig eval) {}
