package io.seqvision.tasks.captioning;

import io.seqvision.decoder.generate.LogitsProcessor;
import io.seqvision.tasks.DecodingOptions;
import io.seqvision.tasks.Task;
import io.seqvision.tasks.TaskKind;
import io.seqvision.tasks.data.MultiTaskExample;
import io.seqvision.tokenizers.CaptionTokenizer;
import io.seqvision.tokenizers.TokenSequence;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/** Captioning: prompt {@code [CAPTION]}, response the caption's text tokens then EOS. */
public final class CaptionTask implements Task<String, String> {

    private final CaptionTokenizer tokenizer;
    private final DecodingOptions decoding;
    private final LogitsProcessor logitsProcessor;

    /**
     * @param decoding the decoding defaults (the config's {@code tasks.captioning.sampling})
     * @param logitsProcessor the repetition control (the same block's {@code no_repeat_ngram_size}
     *     and {@code repetition_penalty}; {@link LogitsProcessor#NONE} for none)
     */
    public CaptionTask(CaptionTokenizer tokenizer, DecodingOptions decoding, LogitsProcessor logitsProcessor) {
        this.tokenizer = tokenizer;
        this.decoding = decoding;
        this.logitsProcessor = Objects.requireNonNull(logitsProcessor, "logitsProcessor");
    }

    public CaptionTokenizer tokenizer() {
        return tokenizer;
    }

    @Override
    public TaskKind kind() {
        return TaskKind.CAPTIONING;
    }

    @Override
    public DecodingOptions decoding() {
        return decoding;
    }

    @Override
    public LogitsProcessor logitsProcessor() {
        return logitsProcessor;
    }

    @Override
    public boolean cropsWholeImage() {
        return false;
    }

    @Override
    public boolean covers(MultiTaskExample example) {
        return !example.captions().isEmpty();
    }

    @Override
    public String needs() {
        return "captions";
    }

    /** One of the example's captions, drawn at random. */
    @Override
    public TokenSequence exampleSequence(MultiTaskExample example, Random random, double promptJitter) {
        List<String> captions = example.captions();
        return captions.isEmpty() ? null : trainingSequence(captions.get(random.nextInt(captions.size())), random);
    }

    @Override
    public int responseBudget() {
        return tokenizer.maxResponseLength();
    }

    @Override
    public int[] prompt(String ignored) {
        return tokenizer.prompt();
    }

    @Override
    public TokenSequence trainingSequence(String caption, Random random) {
        return tokenizer.encode(caption).withPrompt(tokenizer.prompt());
    }

    @Override
    public int maxSequenceLength() {
        return 1 + tokenizer.maxResponseLength();
    }

    @Override
    public void allowedNext(int[] generated, boolean[] allowed) {
        tokenizer.allowedNext(generated, allowed);
    }

    @Override
    public String decode(int[] generated, float[] probabilities) {
        return tokenizer.decode(generated);
    }
}
