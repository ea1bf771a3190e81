package io.seqvision.tasks.api.djl;

import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.output.BoundingBox;
import ai.djl.modality.cv.output.DetectedObjects;
import ai.djl.modality.cv.output.Rectangle;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import io.seqvision.tasks.data.ImagePreprocessor;
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
 * {@code SeqVisionModel} does ({@link ImagePreprocessor}), giving {@code (3, S, S)}; DJL's default
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
        ImagePreprocessor preprocessor = new ImagePreprocessor(block.imageSize());
        int side = preprocessor.side();
        float[] pixels = new float[3 * side * side];
        preprocessor.normalizeInto(preprocessor.toPlanarRgb(toBufferedImage(ctx, input)), false, pixels, 0);
        return new NDList(ctx.getNDManager().create(pixels, new Shape(3, side, side)));
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

    /** The image as a BufferedImage: DJL's default image factory wraps one; others are copied. */
    private static BufferedImage toBufferedImage(TranslatorContext ctx, Image image) {
        if (image.getWrappedImage() instanceof BufferedImage buffered) {
            return buffered;
        }
        int width = image.getWidth();
        int height = image.getHeight();
        NDArray hwc = image.toNDArray(ctx.getNDManager(), Image.Flag.COLOR).toType(DataType.INT32, false);
        int[] rgb = hwc.toIntArray();
        BufferedImage copy = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int i = 3 * (y * width + x);
                copy.setRGB(x, y, (rgb[i] << 16) | (rgb[i + 1] << 8) | rgb[i + 2]);
            }
        }
        return copy;
    }
}
