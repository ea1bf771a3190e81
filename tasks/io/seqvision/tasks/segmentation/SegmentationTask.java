package io.seqvision.tasks.segmentation;

import io.seqvision.decoder.generate.LogitsProcessor;
import io.seqvision.tasks.DecodingOptions;
import io.seqvision.tasks.ObjectPrompts;
import io.seqvision.tasks.Task;
import io.seqvision.tasks.TaskKind;
import io.seqvision.tasks.data.MultiTaskExample;
import io.seqvision.tasks.data.AnnotatedObject;
import io.seqvision.tokenizers.MaskTokenizer;
import io.seqvision.tokenizers.MaskTracer;
import io.seqvision.tokenizers.NormalizedPolygon;
import io.seqvision.tokenizers.PolygonRasterizer;
import io.seqvision.tokenizers.TokenSequence;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * Instance segmentation, Pix2Seq v2 style: the prompt is {@code [SEGMENT] ymin xmin ymax xmax
 * class} of one object, the response its polygons (see {@link MaskTokenizer}). At evaluation the
 * prompt comes from a detected box, so a mask's score is its detection's.
 *
 * <p>Training target of a mask given as several polygons (COCO's stick-figure person is 13
 * overlapping limbs): the traced outlines of their union, rasterised at twice the coordinate
 * resolution. The mask is the same union, but one outline fits the point budget far better than
 * a dozen overlapping parts cut down to triangles, and is one shape to learn instead of many.
 */
public final class SegmentationTask implements Task<AnnotatedObject, List<NormalizedPolygon>> {

    private final MaskTokenizer tokenizer;
    private final DecodingOptions decoding;
    private final LogitsProcessor logitsProcessor;

    /**
     * @param decoding the decoding defaults (the config's {@code tasks.segmentation.sampling})
     * @param logitsProcessor the repetition control (the same block's {@code no_repeat_ngram_size}
     *     and {@code repetition_penalty}; {@link LogitsProcessor#NONE} for none)
     */
    public SegmentationTask(MaskTokenizer tokenizer, DecodingOptions decoding, LogitsProcessor logitsProcessor) {
        this.tokenizer = tokenizer;
        this.decoding = decoding;
        this.logitsProcessor = Objects.requireNonNull(logitsProcessor, "logitsProcessor");
    }

    public MaskTokenizer tokenizer() {
        return tokenizer;
    }

    @Override
    public TaskKind kind() {
        return TaskKind.SEGMENTATION;
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
    public boolean promptedByObject() {
        return true;
    }

    @Override
    public boolean trainsOn(AnnotatedObject object) {
        return object.hasMask();
    }

    @Override
    public boolean covers(MultiTaskExample example) {
        return example.objects().stream().anyMatch(this::trainsOn);
    }

    @Override
    public String needs() {
        return "objects with a segmentation";
    }

    /** One object the task trains on, drawn at random, its prompt box jittered. */
    @Override
    public TokenSequence exampleSequence(MultiTaskExample example, Random random, double promptJitter) {
        AnnotatedObject object = ObjectPrompts.pick(example.objects(), this::trainsOn, random);
        return object == null ? null : trainingSequence(ObjectPrompts.jitter(object, promptJitter, random), random);
    }

    @Override
    public int responseBudget() {
        return tokenizer.maxResponseLength();
    }

    @Override
    public int[] prompt(AnnotatedObject object) {
        return tokenizer.prompt(object.box());
    }

    /** @throws IllegalArgumentException when the object has no mask */
    @Override
    public TokenSequence trainingSequence(AnnotatedObject object, Random random) {
        if (!object.hasMask()) {
            throw new IllegalArgumentException("object " + object.box() + " has no mask to train segmentation on");
        }
        return tokenizer.encode(target(object.polygons())).withPrompt(prompt(object));
    }

    /** The polygons a mask is trained as (see the class comment). */
    public List<NormalizedPolygon> target(List<NormalizedPolygon> polygons) {
        if (polygons.size() < 2) {
            return polygons;
        }
        int side = 2 * tokenizer.vocabulary().coordBins();
        List<NormalizedPolygon> outlines = MaskTracer.trace(PolygonRasterizer.rasterize(polygons, side, side),
                0.5, tokenizer.maxPoints());
        return outlines.isEmpty() ? polygons : outlines;
    }

    @Override
    public int maxSequenceLength() {
        return MaskTokenizer.PROMPT_LENGTH + tokenizer.maxResponseLength();
    }

    @Override
    public void allowedNext(int[] generated, boolean[] allowed) {
        tokenizer.allowedNext(generated, allowed);
    }

    @Override
    public List<NormalizedPolygon> decode(int[] generated, float[] probabilities) {
        return tokenizer.decode(generated);
    }
}
