package io.seqvision.tasks.api.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.seqvision.decoder.EncoderDecoderModel;
import io.seqvision.tasks.DecodingOptions;
import io.seqvision.tasks.TaskKind;
import io.seqvision.tasks.api.Analysis;
import io.seqvision.tasks.api.AnalyzedObject;
import io.seqvision.tasks.api.Detection;
import io.seqvision.tasks.api.ImageFrame;
import io.seqvision.tasks.api.MultiTaskPredictor;
import io.seqvision.tasks.api.PosePoint;
import io.seqvision.tasks.api.PoseViews;
import io.seqvision.tasks.data.ImageInput;
import io.seqvision.tasks.model.ModelBundle;
import io.seqvision.tasks.model.TaskSuite;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A trained seqvision model as one DJL {@link ai.djl.nn.Block} for one task: resized images in,
 * the task's results out, so that DJL's {@link ai.djl.inference.Predictor} runs the whole chain
 * (encoding, detection, the per-object prompts of masks and poses, captioning) in {@code forward},
 * through the same {@link MultiTaskPredictor} as the library API and the evaluator. Built by
 * {@link SeqVisionBlockFactory}; paired with the task's translator ({@link SeqVisionCriteria}).
 *
 * <p>Input: {@code NDList[images (B, 3, S, S) uint8]}, planar RGB resized by {@link ImageInput}
 * ({@code S} = {@link #imageSize()}); the block normalises them itself, because masks and poses
 * re-read a window of the image around each detected object.
 *
 * <p>Output, every array led by the batch dimension so that DJL's batchifier splits it per image
 * ({@code N}, {@code V}, {@code K}, {@code L}: the batch's largest count, padded with zeros; all
 * coordinates normalised to [0, 1] by the image's width and height):
 * <ol start="0">
 *   <li>objects {@code (B, N, 6)} float64: ymin, xmin, ymax, xmax, class index, score;
 *   <li>object counts {@code (B)} int32;
 *   <li>polygon vertices {@code (B, V, 4)} float64: object, polygon, x, y (masks only);
 *   <li>vertex counts {@code (B)} int32;
 *   <li>keypoints {@code (B, K, 5)} float64: object, keypoint index, x, y, labelled 0/1 (poses only);
 *   <li>keypoint counts {@code (B)} int32;
 *   <li>captions {@code (B, L)} uint8, UTF-8 (captions only);
 *   <li>caption lengths {@code (B)} int32.
 * </ol>
 *
 * <p>Parameters: those of the wrapped network (child block {@code network}), already loaded and
 * frozen; this block has none of its own and is never initialised by DJL.
 */
public final class SeqVisionBlock extends AbstractBlock {

    private final ModelBundle bundle;
    private final TaskKind task;
    private final Set<TaskKind> runs;
    private final Map<TaskKind, DecodingOptions> decoding = new EnumMap<>(TaskKind.class);
    private final MultiTaskPredictor predictor;
    private final TaskSuite suite;

    /**
     * @param network  an initialised network whose parameters are loaded
     * @param bundle   the model directory's config and class names
     * @param task     what the block answers; masks and poses also run detection, whose boxes prompt them
     * @param decoding per task how it decodes (each trained task needs an entry)
     * @throws IllegalArgumentException when the model is not trained for the task
     */
    public SeqVisionBlock(EncoderDecoderModel network, ModelBundle bundle, TaskKind task,
            Map<TaskKind, DecodingOptions> decoding) {
        addChildBlock("network", network);
        this.bundle = bundle;
        this.task = task;
        this.suite = bundle.suite();
        this.runs = suite.task(task).promptedByObject() ? Set.of(TaskKind.DETECTION, task) : Set.of(task);
        for (TaskKind kind : runs) {
            suite.requireTrained(kind);
            this.decoding.put(kind, decoding.get(kind));
        }
        this.predictor = new MultiTaskPredictor(network, suite, bundle.classNames(), bundle.imageInput(),
                PoseViews.of(bundle.config().tasks().keypoints()));
    }

    /** The task this block answers. */
    public TaskKind task() {
        return task;
    }

    /** The square side the translator resizes images to. */
    public int imageSize() {
        return bundle.config().model().imageSize();
    }

    /** How the translator turns images into this block's input. */
    public ImageInput imageInput() {
        return bundle.imageInput();
    }

    /** Class names, indexed by class. */
    public List<String> classNames() {
        return bundle.classNames();
    }

    /** How this block decodes {@code kind}. */
    public DecodingOptions decoding(TaskKind kind) {
        return decoding.get(kind);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray images = inputs.singletonOrThrow();
        Shape shape = images.getShape();
        int side = imageSize();
        if (shape.dimension() != 4 || shape.get(1) != 3 || shape.get(2) != side || shape.get(3) != side
                || images.getDataType() != DataType.UINT8) {
            throw new IllegalArgumentException("SeqVisionBlock expects images (B, 3, " + side + ", " + side
                    + ") uint8, got " + shape + " " + images.getDataType());
        }
        int batch = (int) shape.get(0);
        byte[] all = images.toByteArray();
        int size = 3 * side * side;
        List<byte[]> planar = new ArrayList<>(batch);
        for (int b = 0; b < batch; b++) {
            planar.add(Arrays.copyOfRange(all, b * size, (b + 1) * size));
        }
        List<Analysis> analyses = predictor.predict(parameterStore, planar,
                Collections.nCopies(batch, ImageFrame.UNIT), runs, decoding::get, null);
        return pack(analyses, images.getManager());
    }

    private static NDList pack(List<Analysis> analyses, NDManager manager) {
        int batch = analyses.size();
        List<List<double[]>> objects = new ArrayList<>();
        List<List<double[]>> vertices = new ArrayList<>();
        List<List<double[]>> keypoints = new ArrayList<>();
        List<byte[]> captions = new ArrayList<>();
        for (Analysis output : analyses) {
            List<double[]> o = new ArrayList<>();
            List<double[]> v = new ArrayList<>();
            List<double[]> k = new ArrayList<>();
            for (int j = 0; j < output.objects().size(); j++) {
                AnalyzedObject object = output.objects().get(j);
                Detection box = object.detection();
                o.add(new double[] {box.ymin(), box.xmin(), box.ymax(), box.xmax(), box.classIndex(), box.score()});
                for (int p = 0; p < object.polygons().size(); p++) {
                    double[] xy = object.polygons().get(p);
                    for (int q = 0; q < xy.length; q += 2) {
                        v.add(new double[] {j, p, xy[q], xy[q + 1]});
                    }
                }
                for (int q = 0; q < object.keypoints().size(); q++) {
                    PosePoint point = object.keypoints().get(q);
                    k.add(new double[] {j, q, point.x(), point.y(), point.visible() ? 1 : 0});
                }
            }
            objects.add(o);
            vertices.add(v);
            keypoints.add(k);
            captions.add(output.caption() == null ? new byte[0] : output.caption().getBytes(StandardCharsets.UTF_8));
        }
        NDList list = new NDList();
        addRows(list, objects, 6, manager);
        addRows(list, vertices, 4, manager);
        addRows(list, keypoints, 5, manager);
        int longest = captions.stream().mapToInt(c -> c.length).max().orElse(0);
        byte[] text = new byte[batch * Math.max(1, longest)];
        int[] lengths = new int[batch];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(captions.get(b), 0, text, b * Math.max(1, longest), captions.get(b).length);
            lengths[b] = captions.get(b).length;
        }
        list.add(manager.create(java.nio.ByteBuffer.wrap(text), new Shape(batch, Math.max(1, longest)), DataType.UINT8));
        list.add(manager.create(lengths, new Shape(batch)));
        return list;
    }

    /** Rows per image, padded to the longest (at least one row, so no array is empty), then the counts. */
    private static void addRows(NDList list, List<List<double[]>> perImage, int width, NDManager manager) {
        int batch = perImage.size();
        int longest = Math.max(1, perImage.stream().mapToInt(List::size).max().orElse(0));
        double[] values = new double[batch * longest * width];
        int[] counts = new int[batch];
        for (int b = 0; b < batch; b++) {
            List<double[]> rows = perImage.get(b);
            for (int r = 0; r < rows.size(); r++) {
                System.arraycopy(rows.get(r), 0, values, (b * longest + r) * width, width);
            }
            counts[b] = rows.size();
        }
        list.add(manager.create(values, new Shape(batch, longest, width)));
        list.add(manager.create(counts, new Shape(batch)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long batch = inputShapes[0].get(0);
        return new Shape[] {new Shape(batch, -1, 6), new Shape(batch), new Shape(batch, -1, 4), new Shape(batch),
            new Shape(batch, -1, 5), new Shape(batch), new Shape(batch, -1), new Shape(batch)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        // The network arrives initialised with its trained parameters; re-initialising would erase them.
    }
}
