package io.seqvision.tasks.inference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import io.seqvision.decoder.EncoderDecoderModel;
import io.seqvision.decoder.generate.GenerationOptions;
import io.seqvision.decoder.generate.GenerationResult;
import io.seqvision.decoder.generate.Generator;
import io.seqvision.decoder.generate.Sampler;
import io.seqvision.tasks.TaskKind;
import io.seqvision.tasks.data.AnnotatedObject;
import io.seqvision.tasks.model.TaskSuite;
import io.seqvision.tokenizers.TokenBox;
import io.seqvision.tokenizers.Vocabulary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Runs the trained tasks on a batch of images the way Pix2Seq v2 chains them: each image is
 * encoded once; detection writes the boxes; each box then prompts segmentation (box and class)
 * and, for the keypoint class, keypoints (box), so masks and poses take their detection's score;
 * captioning is prompted by the image alone. Every generation uses the task's grammar.
 */
public final class MultiTaskPredictor {

    private final EncoderDecoderModel model;
    private final TaskSuite suite;
    private final int keypointClass;

    /**
     * @param keypointClass the class index whose boxes prompt the keypoint task (COCO: person), or
     *     -1 for none
     */
    public MultiTaskPredictor(EncoderDecoderModel model, TaskSuite suite, int keypointClass) {
        this.model = model;
        this.suite = suite;
        this.keypointClass = keypointClass;
    }

    /** The index of the class named "person", the class COCO's keypoints belong to, or -1. */
    public static int personClass(List<String> classNames) {
        return classNames.indexOf("person");
    }

    /**
     * @param images   (B, 3, side, side) normalised images
     * @param tasks    the tasks to run (each must be trained)
     * @param samplers a fresh sampler per task
     * @param given    per image the boxes to prompt segmentation and keypoints with instead of
     *     detecting them (evaluation of a model without detection); null to detect
     */
    public List<ImageOutput> predict(ParameterStore parameterStore, NDArray images, Set<TaskKind> tasks,
            Function<TaskKind, Sampler> samplers, List<List<TokenBox>> given) {
        for (TaskKind task : tasks) {
            if (!suite.trains(task)) {
                throw new IllegalArgumentException("this model is not trained for " + task.id() + "; it does "
                        + suite.trained().stream().map(TaskKind::id).toList());
            }
        }
        boolean needBoxes = tasks.contains(TaskKind.DETECTION) || tasks.contains(TaskKind.SEGMENTATION)
                || tasks.contains(TaskKind.KEYPOINTS);
        if (needBoxes && given == null && !suite.trains(TaskKind.DETECTION)) {
            throw new IllegalArgumentException("segmentation and keypoints are prompted by detected boxes, and this"
                    + " model is not trained for detection");
        }
        int count = (int) images.getShape().get(0);
        try (NDManager call = images.getManager().newSubManager()) {
            NDArray memory = model.encode(parameterStore, images, false);
            List<List<ObjectOutput>> objects = new ArrayList<>();
            int[][] detectionTokens = new int[count][];
            float[][] detectionProbabilities = new float[count][];
            for (int i = 0; i < count; i++) {
                objects.add(new ArrayList<>());
                detectionTokens[i] = new int[0];
                detectionProbabilities[i] = new float[0];
            }
            if (needBoxes) {
                if (given != null) {
                    for (int i = 0; i < count; i++) {
                        for (TokenBox box : given.get(i)) {
                            objects.get(i).add(ObjectOutput.of(box));
                        }
                    }
                } else {
                    int[][] prompts = new int[count][];
                    Arrays.fill(prompts, suite.detection().prompt(List.of()));
                    GenerationResult result = Generator.generateFromMemory(model, parameterStore, memory, prompts,
                            options(TaskKind.DETECTION, samplers));
                    for (int i = 0; i < count; i++) {
                        detectionTokens[i] = result.tokens(i);
                        detectionProbabilities[i] = result.probabilities(i);
                        for (TokenBox box : suite.detection().decode(result.tokens(i), result.probabilities(i))) {
                            objects.get(i).add(ObjectOutput.of(ordered(box)));
                        }
                    }
                }
            }
            if (tasks.contains(TaskKind.SEGMENTATION)) {
                promptPerObject(parameterStore, memory, objects, TaskKind.SEGMENTATION, samplers, call, false);
            }
            if (tasks.contains(TaskKind.KEYPOINTS) && keypointClass >= 0) {
                promptPerObject(parameterStore, memory, objects, TaskKind.KEYPOINTS, samplers, call, true);
            }
            String[] captions = new String[count];
            int[][] captionTokens = new int[count][];
            for (int i = 0; i < count; i++) {
                captionTokens[i] = new int[0];
            }
            if (tasks.contains(TaskKind.CAPTIONING)) {
                int[][] prompts = new int[count][];
                Arrays.fill(prompts, suite.captioning().prompt(null));
                GenerationResult result = Generator.generateFromMemory(model, parameterStore, memory, prompts,
                        options(TaskKind.CAPTIONING, samplers));
                for (int i = 0; i < count; i++) {
                    captionTokens[i] = result.tokens(i);
                    captions[i] = suite.captioning().decode(result.tokens(i), result.probabilities(i));
                }
            }
            List<ImageOutput> outputs = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                outputs.add(new ImageOutput(objects.get(i), detectionTokens[i], detectionProbabilities[i], captions[i],
                        captionTokens[i]));
            }
            return outputs;
        }
    }

    private void promptPerObject(ParameterStore parameterStore, NDArray memory, List<List<ObjectOutput>> objects,
            TaskKind task, Function<TaskKind, Sampler> samplers, NDManager call, boolean keypoints) {
        List<int[]> prompts = new ArrayList<>();
        List<int[]> owners = new ArrayList<>();
        NDList rows = new NDList();
        for (int i = 0; i < objects.size(); i++) {
            List<ObjectOutput> list = objects.get(i);
            for (int j = 0; j < list.size(); j++) {
                TokenBox box = list.get(j).box();
                if (keypoints && box.classIndex() != keypointClass) {
                    continue;
                }
                AnnotatedObject prompt = new AnnotatedObject(box, List.of(), List.of(), 0);
                prompts.add(keypoints ? suite.keypoints().prompt(prompt) : suite.segmentation().prompt(prompt));
                owners.add(new int[] {i, j});
                rows.add(memory.get(i));
            }
        }
        if (prompts.isEmpty()) {
            return;
        }
        NDArray perObject = NDArrays.stack(rows);
        perObject.attach(call);
        GenerationResult result = Generator.generateFromMemory(model, parameterStore, perObject,
                prompts.toArray(int[][]::new), options(task, samplers));
        for (int k = 0; k < owners.size(); k++) {
            int[] owner = owners.get(k);
            List<ObjectOutput> list = objects.get(owner[0]);
            ObjectOutput object = list.get(owner[1]);
            int[] tokens = result.tokens(k);
            list.set(owner[1], keypoints
                    ? object.withKeypoints(suite.keypoints().decode(tokens, result.probabilities(k)), tokens)
                    : object.withMask(suite.segmentation().decode(tokens, result.probabilities(k)), tokens));
        }
    }

    private GenerationOptions options(TaskKind task, Function<TaskKind, Sampler> samplers) {
        return switch (task) {
            case DETECTION -> new GenerationOptions(suite.detection().tokenizer().maxResponseLength(), Vocabulary.EOS,
                    samplers.apply(task), suite.detection()::allowedNext);
            case SEGMENTATION -> new GenerationOptions(suite.segmentation().tokenizer().maxResponseLength(),
                    Vocabulary.EOS, samplers.apply(task), suite.segmentation()::allowedNext);
            case KEYPOINTS -> new GenerationOptions(suite.keypoints().tokenizer().maxResponseLength(), Vocabulary.EOS,
                    samplers.apply(task), suite.keypoints()::allowedNext);
            case CAPTIONING -> new GenerationOptions(suite.captioning().tokenizer().maxResponseLength(),
                    Vocabulary.EOS, samplers.apply(task), suite.captioning()::allowedNext);
        };
    }

    /** A decoded box with its corners in order, as prompts require. */
    private static TokenBox ordered(TokenBox b) {
        return new TokenBox(Math.min(b.ymin(), b.ymax()), Math.min(b.xmin(), b.xmax()), Math.max(b.ymin(), b.ymax()),
                Math.max(b.xmin(), b.xmax()), b.classIndex(), b.score());
    }
}
