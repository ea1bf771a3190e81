package io.seqvision.tasks.api.djl;

import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.output.BoundingBox;
import ai.djl.modality.cv.output.DetectedObjects;
import ai.djl.modality.cv.output.Rectangle;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import io.seqvision.tasks.data.ImageInput;
import io.seqvision.tokenizers.TokenBox;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * DJL {@link Translator} from an {@link Image} to {@link DetectedObjects} for a model loaded as a
 * {@link DetectionBlock} (see {@link SeqVisionCriteria#detection}).
 *
 * <p>Pre-processing: the image is resized to the model's square side and normalised exactly as
 * {@code SeqVisionModel} does ({@link ImageInput}), giving {@code (3, S, S)}; DJL's default
 * batchifier stacks a batch. Post-processing: the generated tokens are read by the detection
 * tokenizer into {@link Rectangle}s in coordinates normalised to the image's width and height (as
 * DJL's drawing utilities expect), with class names and class-token probabilities as scores.
 *
 * <p>Stateless: one instance may serve several predictors and threads (DJL's rule of one
 * {@code Predictor} per thread still applies).
 */
public final class DetectionTranslator implements Translator<Image, DetectedObjects> {

    @Override
    public NDList processInput(TranslatorContext ctx, Image input) {
        DetectionBlock block = blockOf(ctx);
        BufferedImage image = ImageInput.toBufferedImage(input, ctx.getNDManager());
        return new NDList(block.imageInput().toTensor(ctx.getNDManager(), List.of(image)).squeeze(0));
    }

    @Override
    public DetectedObjects processOutput(TranslatorContext ctx, NDList list) {
        DetectionBlock block = blockOf(ctx);
        int length = list.get(2).toType(DataType.INT32, false).getInt();
        int[] tokens = Arrays.copyOf(list.get(0).toType(DataType.INT32, false).toIntArray(), length);
        float[] probabilities = Arrays.copyOf(list.get(1).toType(DataType.FLOAT32, false).toFloatArray(), length);
        List<TokenBox> boxes = block.task().decode(tokens, probabilities);
        List<String> names = new ArrayList<>(boxes.size());
        List<Double> scores = new ArrayList<>(boxes.size());
        List<BoundingBox> rectangles = new ArrayList<>(boxes.size());
        for (TokenBox box : boxes) {
            names.add(block.classNames().get(box.classIndex()));
            scores.add(box.score());
            rectangles.add(new Rectangle(box.xmin(), box.ymin(), box.xmax() - box.xmin(), box.ymax() - box.ymin()));
        }
        return new DetectedObjects(names, scores, rectangles);
    }

    private static DetectionBlock blockOf(TranslatorContext ctx) {
        Block block = ctx.getBlock();
        if (block instanceof DetectionBlock detection) {
            return detection;
        }
        throw new IllegalArgumentException("DetectionTranslator needs a model whose block is a DetectionBlock"
                + " (load it with SeqVisionCriteria.detection or DetectionBlockFactory), got "
                + (block == null ? "no block" : block.getClass().getName()));
    }
}
