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
        TasksConfig tasks,
        TrainingConfig training,
        EvalConfig eval) {

    /** The same run evaluating as its evaluations during training do ({@link EvalConfig#interim()}). */
    public SeqVisionConfig interim() {
        return new SeqVisionConfig(name, seed, outputDir, data, model, tokenizer, tasks, training, eval.interim());
    }

    /** The same run evaluating on at most {@code maxImages} held-out images. */
    public SeqVisionConfig withMaxImages(int maxImages) {
        return new SeqVisionConfig(name, seed, outputDir, data, model, tokenizer, tasks, training,
                eval.withMaxImages(maxImages));
    }
}
