package io.seqvision.tasks.api.djl;

import ai.djl.modality.cv.Image;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import io.seqvision.tasks.TaskKind;
import io.seqvision.tasks.data.ImageInput;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What the four translators share: an {@link Image} becomes the block's input through {@link
 * ImageInput} ({@code (3, S, S)} uint8; DJL's default batchifier stacks a batch), and the block's
 * per-image output ({@link SeqVisionBlock}) is read back into rows; each task's subclass turns the
 * rows into DJL's type for it. Coordinates stay normalised to the image's width and height, as
 * DJL's drawing utilities expect.
 *
 * <p>Stateless: one instance may serve several predictors and threads (DJL's rule of one
 * {@code Predictor} per thread still applies).
 *
 * @param <O> the task's DJL output type
 */
public abstract class SeqVisionTranslator<O> implements Translator<Image, O> {

    private final TaskKind task;

    SeqVisionTranslator(TaskKind task) {
        this.task = task;
    }

    @Override
    public NDList processInput(TranslatorContext ctx, Image input) {
        SeqVisionBlock block = blockOf(ctx);
        NDManager manager = ctx.getNDManager();
        ImageInput imageInput = block.imageInput();
        byte[] planar = imageInput.toPlanarRgb(ImageInput.toBufferedImage(input, manager));
        int side = imageInput.side();
        return new NDList(manager.create(ByteBuffer.wrap(planar), new Shape(3, side, side), DataType.UINT8));
    }

    @Override
    public O processOutput(TranslatorContext ctx, NDList list) {
        SeqVisionBlock block = blockOf(ctx);
        List<double[]> objects = rows(list.get(0), list.get(1));
        List<double[]> vertices = rows(list.get(2), list.get(3));
        List<double[]> keypoints = rows(list.get(4), list.get(5));
        int length = list.get(7).toType(DataType.INT32, false).getInt();
        byte[] text = list.get(6).toByteArray();
        String caption = new String(text, 0, length, StandardCharsets.UTF_8);
        return read(block, objects, vertices, keypoints, caption);
    }

    /**
     * The task's result from the block's rows for one image.
     *
     * @param objects   per object: ymin, xmin, ymax, xmax, class index, score
     * @param vertices  per polygon vertex: object, polygon, x, y
     * @param keypoints per keypoint: object, keypoint index, x, y, labelled (0 or 1)
     */
    abstract O read(SeqVisionBlock block, List<double[]> objects, List<double[]> vertices, List<double[]> keypoints,
            String caption);

    private static List<double[]> rows(NDArray values, NDArray count) {
        int rows = count.toType(DataType.INT32, false).getInt();
        int width = (int) values.getShape().get(values.getShape().dimension() - 1);
        double[] flat = values.toType(DataType.FLOAT64, false).toDoubleArray();
        List<double[]> out = new ArrayList<>(rows);
        for (int r = 0; r < rows; r++) {
            double[] row = new double[width];
            System.arraycopy(flat, r * width, row, 0, width);
            out.add(row);
        }
        return out;
    }

    private SeqVisionBlock blockOf(TranslatorContext ctx) {
        Block block = ctx.getBlock();
        if (block instanceof SeqVisionBlock seqVision && seqVision.task() == task) {
            return seqVision;
        }
        throw new IllegalArgumentException(getClass().getSimpleName() + " needs a model whose block is a"
                + " SeqVisionBlock for " + task.id() + " (load it with SeqVisionCriteria." + task.id()
                + " or SeqVisionBlockFactory with argument task=" + task.id() + "), got "
                + (block == null ? "no block" : block instanceof SeqVisionBlock s ? "one for " + s.task().id()
                        : block.getClass().getName()));
    }
}
