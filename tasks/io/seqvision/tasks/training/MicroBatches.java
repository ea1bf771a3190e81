package io.seqvision.tasks.training;

import io.seqvision.tasks.Task;
import io.seqvision.tasks.TaskKind;
import io.seqvision.tasks.config.SeqVisionConfig;
import io.seqvision.tasks.data.AnnotatedObject;
import io.seqvision.tasks.data.AugmentationOptions;
import io.seqvision.tasks.data.AugmentedTargets;
import io.seqvision.tasks.data.MultiTaskAugmentation;
import io.seqvision.tasks.data.MultiTaskDataset;
import io.seqvision.tasks.data.ObjectCrop;
import io.seqvision.tasks.data.MultiTaskExample;
import io.seqvision.tasks.model.ModelBundle;
import io.seqvision.tasks.model.TaskSuite;
import io.seqvision.tokenizers.CocoKeypoints;
import io.seqvision.tokenizers.TokenSequence;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Builds micro-batch {@code m} of a run: its task from the {@link TaskMixer}, its examples from
 * that task's own epochs over the images that can train it, its augmentation and sequences from a
 * random source seeded by {@code m} alone. Segmentation and keypoints see one object cropped
 * from its image ({@link #cropToObject}), as they do at inference.
 */
final class MicroBatches {

    private final SeqVisionConfig config;
    private final TaskSuite suite;
    private final MultiTaskDataset data;
    private final TaskMixer mixer;
    private final Map<TaskKind, int[]> eligible = new EnumMap<>(TaskKind.class);
    private final Map<TaskKind, BatchOrder> orders = new EnumMap<>(TaskKind.class);
    private final MultiTaskAugmentation cropper;

    MicroBatches(SeqVisionConfig config, TaskSuite suite, MultiTaskDataset data) {
        this.config = config;
        this.suite = suite;
        this.data = data;
        List<TaskKind> tasks = new ArrayList<>(suite.trained());
        double[] weights = new double[tasks.size()];
        for (int i = 0; i < tasks.size(); i++) {
            TaskKind task = tasks.get(i);
            weights[i] = config.tasks().of(task).weight();
            int[] indices = java.util.stream.IntStream.range(0, data.size())
                    .filter(e -> suite.task(task).covers(data.get(e)))
                    .toArray();
            if (indices.length == 0) {
                throw new IllegalArgumentException("tasks." + task.id() + ": no training image has what the task"
                        + " needs (" + suite.task(task).needs() + "); check the config's data.train files or set its weight to 0");
            }
            eligible.put(task, indices);
            orders.put(task, new BatchOrder(indices.length, config.training().batchSize(),
                    config.seed() * 131 + task.ordinal()));
        }
        this.mixer = new TaskMixer(tasks, weights, config.seed());
        this.cropper = new MultiTaskAugmentation(ModelBundle.imageInput(config), AugmentationOptions.none());
    }

    /**
     * One object the task can train on, alone in a jittered window around its box ({@link
     * ObjectCrop}: 1.2 to 1.6 times its longer side, centre moved by up to a tenth of the window,
     * so the object always lies inside), flipped with probability 1/2 when flips are on.
     */
    private MultiTaskExample cropToObject(MultiTaskExample example, Task<?, ?> task, Random random, float[] pixels,
            int index) {
        List<AnnotatedObject> eligible = example.objects().stream().filter(task::trainsOn).toList();
        AnnotatedObject object = eligible.get(random.nextInt(eligible.size()));
        double enlarge = 1.2 + 0.4 * random.nextDouble();
        double shiftX = (random.nextDouble() - 0.5) * 0.2;
        double shiftY = (random.nextDouble() - 0.5) * 0.2;
        boolean flip = config.training().horizontalFlip() && random.nextBoolean();
        ObjectCrop window = ObjectCrop.around(object.box(), enlarge, shiftX, shiftY);
        MultiTaskExample alone = new MultiTaskExample(example.imageId(), example.width(), example.height(),
                example.pixels(), List.of(object), List.of());
        AugmentedTargets targets =
                cropper.apply(alone, window.transform(config.model().imageSize(), flip), pixels, index);
        return new MultiTaskExample(example.imageId(), example.width(), example.height(), example.pixels(),
                targets.objects(), List.of());
    }

    /** Micro-batches must be prepared in increasing order of {@code index}. */
    MicroBatch prepare(long index, Augmenter augmenter, int stride) {
        TaskKind kind = mixer.task(index);
        Task<?, ?> task = suite.task(kind);
        int[] picks = orders.get(kind).batch(mixer.occurrence(index));
        int[] candidates = eligible.get(kind);
        int side = config.model().imageSize();
        int grid = side / stride;
        int count = picks.length;
        float[] pixels = new float[count * 3 * side * side];
        long[] cells = new long[count * grid * grid];
        List<TokenSequence> sequences = new ArrayList<>(count);
        Random random = new Random(config.seed() * 0x9E3779B97F4A7C15L + index);
        boolean crop = task.cropsWholeImage();
        int longest = 2;
        boolean keypointCells = kind == TaskKind.KEYPOINTS && config.training().auxiliaryKeypointLossWeight() > 0;
        float[] keypointTargets = new float[keypointCells ? count * CocoKeypoints.COUNT * grid * grid : 0];
        int labelledKeypoints = 0;
        for (int i = 0; i < count; i++) {
            MultiTaskExample example = data.get(candidates[picks[i]]);
            MultiTaskExample augmented = task.promptedByObject()
                    ? cropToObject(example, task, random, pixels, i)
                    : augmenter.apply(example, crop, random, pixels, i);
            TokenSequence sequence = task.exampleSequence(augmented, random, config.training().promptBoxJitter());
            if (sequence == null) {
                // the crop removed every target this task needs: this image trains uncropped
                augmented = augmenter.apply(example, false, random, pixels, i);
                sequence = task.exampleSequence(augmented, random, config.training().promptBoxJitter());
            }
            if (keypointCells && augmented.objects().size() == 1) {
                // the window holds the one person the sequence is about (not so in the uncropped fallback)
                labelledKeypoints += KeypointCellTargets.label(augmented.objects().get(0).keypoints(), grid,
                        keypointTargets, i * CocoKeypoints.COUNT * grid * grid);
            }
            sequences.add(sequence);
            longest = Math.max(longest, sequence.length());
            ObjectnessTargets.label(augmented.boxes(), grid, suite.vocabulary().numClasses(), cells,
                    i * grid * grid);
        }
        return new MicroBatch(kind, count, pixels, SequenceBatch.of(sequences, longest), cells, keypointTargets,
                labelledKeypoints);
    }
}
