package io.seqvision.tasks.captioning;

import io.seqvision.tasks.Task;
import io.seqvision.tokenizers.CaptionTokenizer;
import io.seqvision.tokenizers.TokenSequence;
import java.util.Random;

/** Captioning: prompt {@code [CAPTION]}, response the caption's text tokens then EOS. */
public final class CaptionTask implements Task<String, String> {

    private final CaptionTokenizer tokenizer;

    public CaptionTask(CaptionTokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    public CaptionTokenizer tokenizer() {
        return tokenizer;
    }

    @Override
    public String name() {
        return "captioning";
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
