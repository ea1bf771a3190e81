package io.seqvision.tasks.detection;

import io.seqvision.decoder.generate.LogitsProcessor;
import io.seqvision.tasks.DecodingOptions;
import io.seqvision.tasks.Task;
import io.seqvision.tasks.TaskKind;
import io.seqvision.tasks.data.MultiTaskExample;
import io.seqvision.tokenizers.BoxTokenizer;
import io.seqvision.tokenizers.TokenBox;
import io.seqvision.tokenizers.TokenSequence;
import io.seqvision.tokenizers.Vocabulary;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * Object detection: prompt {@code [DETECT]}, response {@code ymin xmin ymax xmax class} per object
 * then EOS. Boxes are normalised to [0, 1] by the image's width and height.
 */
public final class DetectionTask implements Task<List<TokenBox>, List<TokenBox>> {

    /** How objects are ordered in a training sequence. */
    public enum ObjectOrder {
        /** A fresh shuffle every time (Pix2Seq's choice). */
        RANDOM,
        /** Top edge, then left edge: the order a reader scans. */
        RASTER
    }

    private static final Comparator<TokenBox> RASTER_ORDER =
            Comparator.comparingDouble(TokenBox::ymin).thenComparingDouble(TokenBox::xmin);

    private final BoxTokenizer tokenizer;
    private final ObjectOrder order;
    private final DecodingOptions decoding;
    private final LogitsProcessor logitsProcessor;

    /**
     * @param decoding the decoding defaults (the config's {@code tasks.detection.sampling})
     * @param logitsProcessor the repetition control (the same block's {@code no_repeat_ngram_size}
     *     and {@code repetition_penalty}; {@link LogitsProcessor#NONE} for none)
     */
    public DetectionTask(BoxTokenizer tokenizer, ObjectOrder order, DecodingOptions decoding, LogitsProcessor logitsProcessor) {
        this.tokenizer = tokenizer;
        this.order = order;
        this.decoding = decoding;
        this.logitsProcessor = Objects.requireNonNull(logitsProcessor, "logitsProcessor");
    }

    public BoxTokenizer tokenizer() {
        return tokenizer;
    }

    @Override
    public TaskKind kind() {
        return TaskKind.DETECTION;
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
    public boolean covers(MultiTaskExample example) {
        return true;
    }

    @Override
    public String needs() {
        return "images";
    }

    /** Every object of the example. */
    @Override
    public TokenSequence exampleSequence(MultiTaskExample example, Random random, double promptJitter) {
        return trainingSequence(example.boxes(), random);
    }

    @Override
    public int responseBudget() {
        return tokenizer.maxResponseLength();
    }

    @Override
    public int[] prompt(List<TokenBox> ignored) {
        return new int[] {Vocabulary.PROMPT_DETECTION};
    }

    /** Objects beyond the tokenizer's budget are dropped after ordering. */
    @Override
    public TokenSequence trainingSequence(List<TokenBox> boxes, Random random) {
        List<TokenBox> ordered = new ArrayList<>(boxes);
        if (order == ObjectOrder.RANDOM) {
            Collections.shuffle(ordered, random);
        } else {
            ordered.sort(RASTER_ORDER);
        }
        if (ordered.size() > tokenizer.maxObjects()) {
            ordered = ordered.subList(0, tokenizer.maxObjects());
        }
        TokenSequence response = tokenizer.encode(ordered);
        int[] tokens = new int[response.length() + 1];
        float[] weights = new float[tokens.length];
        tokens[0] = Vocabulary.PROMPT_DETECTION;
        System.arraycopy(response.tokens(), 0, tokens, 1, response.length());
        System.arraycopy(response.weights(), 0, weights, 1, response.length());
        return new TokenSequence(tokens, weights);
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
    public List<TokenBox> decode(int[] generated, float[] probabilities) {
        return tokenizer.decode(generated, probabilities);
    }
}
