package io.seqvision.tasks.inference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.seqvision.decoder.EncoderDecoderModel;
import io.seqvision.decoder.generate.GenerationOptions;
import io.seqvision.decoder.generate.GenerationResult;
import io.seqvision.decoder.generate.Generator;
import io.seqvision.decoder.generate.LogitsProcessor;
import io.seqvision.tasks.DecodingOptions;
import io.seqvision.tasks.TaskKind;
import io.seqvision.tasks.data.AnnotatedObject;
import io.seqvision.tasks.data.ImageInput;
import io.seqvision.tasks.data.ImageTransform;
import io.seqvision.tasks.data.ObjectCrop;
import io.seqvision.tasks.model.TaskSuite;
import io.seqvision.tokenizers.CocoKeypoints;
import io.seqvision.tokenizers.Keypoint;
import io.seqvision.tokenizers.TokenBox;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Runs the trained tasks on a batch of images the way Pix2Seq v2 chains them: detection and
 * captioning read the whole image, encoded once; each detected box then prompts segmentation (box
 * and class) and, for the keypoint class, keypoints (box), each on a window of the image around
 * that box ({@link ObjectCrop}), so masks and poses take their detection's score. Every
 * generation uses the task's grammar and repetition control.
 */
public final class MultiTaskPredictor {

    private final EncoderDecoderModel model;
    private final TaskSuite suite;
    private final int keypointClass;
    private final ImageInput imageInput;
    private final PoseViews poseViews;
    private final Function<TaskKind, LogitsProcessor> logitsProcessors;

    /**
     * As the full constructor, each task decoding with its own repetition control ({@link
     * io.seqvision.tasks.Task#logitsProcessor()}, from the model's config).
     */
    public MultiTaskPredictor(EncoderDecoderModel model, TaskSuite suite, int keypointClass, ImageInput imageInput,
            PoseViews poseViews) {
        this(model, suite, keypointClass, imageInput, poseViews, task -> suite.task(task).logitsProcessor());
    }

    /**
     * @param keypointClass the class index whose boxes prompt the keypoint task (COCO: person), or
     *     -1 for none
     * @param poseViews     how each person's pose is read ({@link PoseViews#single()}: once)
     * @param logitsProcessors per task, the repetition control its decoding applies whatever the
     *     sampler (the config's {@code tasks.<task>.sampling}, {@link
     *     io.seqvision.tasks.config.SamplingConfig#logitsProcessor()}; an evaluation overlay may
     *     change it from the model's own)
     */
    public MultiTaskPredictor(EncoderDecoderModel model, TaskSuite suite, int keypointClass, ImageInput imageInput,
            PoseViews poseViews, Function<TaskKind, LogitsProcessor> logitsProcessors) {
        this.model = model;
        this.suite = suite;
        this.keypointClass = keypointClass;
        this.imageInput = imageInput;
        this.poseViews = poseViews;
        this.logitsProcessors = logitsProcessors;
    }

    /** Each task's repetition control as {@code tasks} asks for it. */
    public static Function<TaskKind, LogitsProcessor> logitsProcessors(io.seqvision.tasks.config.TasksConfig tasks) {
        return task -> tasks.of(task).sampling().logitsProcessor();
    }

    /** The index of the class named "person", the class COCO's keypoints belong to, or -1. */
    public static int personClass(List<String> classNames) {
        return classNames.indexOf("person");
    }

    /**
     * @param images   per image its planar RGB bytes at the model's side ({@link
     *     io.seqvision.tasks.data.ImageInput#toPlanarRgb})
     * @param tasks    the tasks to run (each must be trained)
     * @param decoding per task how it decodes (each task's defaults: {@code suite.task(kind).decoding()});
     *     a fresh sampler is made per task and call
     * @param given    per image the boxes to prompt segmentation and keypoints with instead of
     *     detecting them (evaluation of a model without detection); null to detect
     */
    public List<ImageOutput> predict(ParameterStore parameterStore, List<byte[]> images, Set<TaskKind> tasks,
            Function<TaskKind, DecodingOptions> decoding, List<List<TokenBox>> given) {
        return predict(parameterStore, images, tasks, decoding, given, () -> { });
    }

    /**
     * As {@link #predict(ParameterStore, List, Set, Function, List)}, calling {@code beforeEachToken}
     * before every decoding step of every task (a deadline check may throw from it to stop decoding).
     */
    public List<ImageOutput> predict(ParameterStore parameterStore, List<byte[]> images, Set<TaskKind> tasks,
            Function<TaskKind, DecodingOptions> decoding, List<List<TokenBox>> given, Runnable beforeEachToken) {
        Runnable check = beforeEachToken;
        for (TaskKind task : tasks) {
            suite.requireTrained(task);
        }
        boolean needBoxes = tasks.contains(TaskKind.DETECTION) || tasks.contains(TaskKind.SEGMENTATION)
                || tasks.contains(TaskKind.KEYPOINTS);
        if (needBoxes && given == null && !suite.trains(TaskKind.DETECTION)) {
            throw new IllegalArgumentException("segmentation and keypoints are prompted by detected boxes, and this"
                    + " model is not trained for detection");
        }
        int count = images.size();
        try (NDManager call = parameterStore.getManager().newSubManager()) {
            NDArray memory = model.encode(parameterStore, imageInput.planarToTensor(call, images), false);
            List<List<ObjectOutput>> objects = new ArrayList<>();
            int[][] detectionTokens = new int[count][];
            boolean[] detectionEnded = new boolean[count];
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
                            options(TaskKind.DETECTION, decoding, check));
                    for (int i = 0; i < count; i++) {
                        detectionTokens[i] = result.tokens(i);
                        detectionEnded[i] = result.ended(i);
                        detectionProbabilities[i] = result.probabilities(i);
                        for (TokenBox box : suite.detection().decode(result.tokens(i), result.probabilities(i))) {
                            objects.get(i).add(ObjectOutput.of(ordered(box)));
                        }
                    }
                }
            }
            if (tasks.contains(TaskKind.SEGMENTATION)) {
                promptPerObject(parameterStore, images, objects, TaskKind.SEGMENTATION, decoding, check, call, false);
            }
            if (tasks.contains(TaskKind.KEYPOINTS) && keypointClass >= 0) {
                promptPerObject(parameterStore, images, objects, TaskKind.KEYPOINTS, decoding, check, call, true);
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
                        options(TaskKind.CAPTIONING, decoding, check));
                for (int i = 0; i < count; i++) {
                    captionTokens[i] = result.tokens(i);
                    captions[i] = suite.captioning().decode(result.tokens(i), result.probabilities(i));
                }
            }
            List<ImageOutput> outputs = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                outputs.add(new ImageOutput(objects.get(i), detectionTokens[i], detectionProbabilities[i],
                        detectionEnded[i], captions[i], captionTokens[i]));
            }
            return outputs;
        }
    }

    /**
     * Prompts a task once per object, each with its own window of the image ({@link ObjectCrop},
     * as in training) encoded afresh; results come back in image coordinates. Keypoints are read
     * once per {@link PoseViews} reading and combined; the object keeps the first reading's tokens.
     */
    private void promptPerObject(ParameterStore parameterStore, List<byte[]> images, List<List<ObjectOutput>> objects,
            TaskKind task, Function<TaskKind, DecodingOptions> decoding, Runnable check, NDManager call, boolean keypoints) {
        PoseViews views = keypoints ? poseViews : PoseViews.single();
        int readings = views.count();
        List<int[]> prompts = new ArrayList<>();
        List<int[]> owners = new ArrayList<>();
        List<ObjectCrop> windows = new ArrayList<>();
        for (int i = 0; i < objects.size(); i++) {
            List<ObjectOutput> list = objects.get(i);
            for (int j = 0; j < list.size(); j++) {
                TokenBox box = list.get(j).box();
                if (keypoints && box.classIndex() != keypointClass) {
                    continue;
                }
                for (int v = 0; v < readings; v++) {
                    ObjectCrop window = ObjectCrop.around(box, views.window(v), 0, 0);
                    TokenBox inWindow = window.toWindow(box);
                    AnnotatedObject prompt = new AnnotatedObject(
                            views.mirrored(v) ? inWindow.flipHorizontal() : inWindow, List.of(), List.of(), 0);
                    prompts.add(keypoints ? suite.keypoints().prompt(prompt) : suite.segmentation().prompt(prompt));
                    owners.add(new int[] {i, j});
                    windows.add(window);
                }
            }
        }
        if (prompts.isEmpty()) {
            return;
        }
        int side = imageInput.side();
        float[] crops = new float[windows.size() * 3 * side * side];
        for (int k = 0; k < windows.size(); k++) {
            ImageTransform window = windows.get(k).transform(side, views.mirrored(k % readings));
            imageInput.windowInto(images.get(owners.get(k)[0]), window, crops, k);
        }
        NDArray memory = model.encode(parameterStore,
                call.create(crops, new Shape(windows.size(), 3, side, side)), false);
        GenerationResult result = Generator.generateFromMemory(model, parameterStore, memory,
                prompts.toArray(int[][]::new), options(task, decoding, check));
        for (int k = 0; k < owners.size(); k += readings) {
            int[] owner = owners.get(k);
            List<ObjectOutput> list = objects.get(owner[0]);
            ObjectOutput object = list.get(owner[1]);
            int[] tokens = result.tokens(k);
            ObjectCrop window = windows.get(k);
            if (keypoints) {
                List<List<Keypoint>> poses = new ArrayList<>(readings);
                for (int v = 0; v < readings; v++) {
                    List<Keypoint> pose = suite.keypoints().decode(result.tokens(k + v), result.probabilities(k + v));
                    poses.add(windows.get(k + v).keypointsToImage(
                            views.mirrored(v) ? CocoKeypoints.flipHorizontal(pose) : pose));
                }
                list.set(owner[1], object.withKeypoints(PoseViews.median(poses), tokens));
            } else {
                list.set(owner[1], object.withMask(
                        window.toImage(suite.segmentation().decode(tokens, result.probabilities(k))), tokens));
            }
        }
    }

    private GenerationOptions options(TaskKind task, Function<TaskKind, DecodingOptions> decoding, Runnable check) {
        return suite.task(task).generationOptions(decoding.apply(task), logitsProcessors.apply(task), check);
    }

    /** A decoded box with its corners in order, as prompts require. */
    private static TokenBox ordered(TokenBox b) {
        return new TokenBox(Math.min(b.ymin(), b.ymax()), Math.min(b.xmin(), b.xmax()), Math.max(b.ymin(), b.ymax()),
                Math.max(b.xmin(), b.xmax()), b.classIndex(), b.score());
    }
}
