package io.seqvision.tasks.api;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.seqvision.decoder.EncoderDecoderModel;
import io.seqvision.decoder.generate.BatchingDecoder;
import io.seqvision.decoder.generate.GeneratedSequence;
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
import io.seqvision.tokenizers.BoxTokenizer;
import io.seqvision.tokenizers.CocoKeypoints;
import io.seqvision.tokenizers.Keypoint;
import io.seqvision.tokenizers.NormalizedPolygon;
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
    private final List<String> classNames;
    private final int keypointClass;
    private final ImageInput imageInput;
    private final PoseViews poseViews;
    private final Function<TaskKind, LogitsProcessor> logitsProcessors;
    /** Shares decoding steps with concurrent calls; null to decode each call alone. */
    private final BatchingDecoder batching;

    /**
     * As the full constructor, each task decoding with its own repetition control ({@link
     * io.seqvision.tasks.Task#logitsProcessor()}, from the model's config).
     */
    public MultiTaskPredictor(EncoderDecoderModel model, TaskSuite suite, List<String> classNames,
            ImageInput imageInput, PoseViews poseViews) {
        this(model, suite, classNames, imageInput, poseViews, task -> suite.task(task).logitsProcessor());
    }

    /**
     * @param classNames    the model's classes, indexed by class; boxes of the class named "person"
     *     (COCO's keypoint class) prompt the keypoint task
     * @param poseViews     how each person's pose is read ({@link PoseViews#single()}: once)
     * @param logitsProcessors per task, the repetition control its decoding applies whatever the
     *     sampler (the config's {@code tasks.<task>.sampling}, {@link
     *     io.seqvision.tasks.config.SamplingConfig#logitsProcessor()}; an evaluation overlay may
     *     change it from the model's own)
     */
    public MultiTaskPredictor(EncoderDecoderModel model, TaskSuite suite, List<String> classNames,
            ImageInput imageInput, PoseViews poseViews, Function<TaskKind, LogitsProcessor> logitsProcessors) {
        this.model = model;
        this.suite = suite;
        this.classNames = List.copyOf(classNames);
        this.keypointClass = personClass(classNames);
        this.imageInput = imageInput;
        this.poseViews = poseViews;
        this.logitsProcessors = logitsProcessors;
        this.batching = null;
    }

    private MultiTaskPredictor(MultiTaskPredictor predictor, BatchingDecoder batching) {
        this.model = predictor.model;
        this.suite = predictor.suite;
        this.classNames = predictor.classNames;
        this.keypointClass = predictor.keypointClass;
        this.imageInput = predictor.imageInput;
        this.poseViews = predictor.poseViews;
        this.logitsProcessors = predictor.logitsProcessors;
        this.batching = batching;
    }

    /**
     * This predictor with every generation going through {@code batching}, so that concurrent
     * {@code predict} calls share decoding steps (same tokens as decoding alone; see {@link
     * BatchingDecoder}). Encoding stays on the calling thread.
     */
    public MultiTaskPredictor withBatching(BatchingDecoder batching) {
        return new MultiTaskPredictor(this, java.util.Objects.requireNonNull(batching, "batching"));
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
     * @param frames   per image the frame its results are reported in (its original size, or {@link
     *     ImageFrame#UNIT} for coordinates normalised to [0, 1])
     * @param tasks    the tasks to run (each must be trained)
     * @param decoding per task how it decodes (each task's defaults: {@code suite.task(kind).decoding()});
     *     a fresh sampler is made per task and call
     * @param given    per image the boxes to prompt segmentation and keypoints with instead of
     *     detecting them (evaluation of a model without detection); null to detect
     */
    public List<Analysis> predict(ParameterStore parameterStore, List<byte[]> images, List<ImageFrame> frames,
            Set<TaskKind> tasks, Function<TaskKind, DecodingOptions> decoding, List<List<TokenBox>> given) {
        return predict(parameterStore, images, frames, tasks, decoding, given, () -> { });
    }

    /**
     * As {@link #predict(ParameterStore, List, List, Set, Function, List)}, calling {@code beforeEachToken}
     * before every decoding step of every task (a deadline check may throw from it to stop decoding).
     */
    public List<Analysis> predict(ParameterStore parameterStore, List<byte[]> images, List<ImageFrame> frames,
            Set<TaskKind> tasks, Function<TaskKind, DecodingOptions> decoding, List<List<TokenBox>> given,
            Runnable beforeEachToken) {
        if (frames.size() != images.size()) {
            throw new IllegalArgumentException(images.size() + " images but " + frames.size() + " frames");
        }
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
            List<List<Decoded>> objects = new ArrayList<>();
            GeneratedSequence[] detections = new GeneratedSequence[count];
            for (int i = 0; i < count; i++) {
                objects.add(new ArrayList<>());
                detections[i] = Analysis.NOT_RUN;
            }
            if (needBoxes) {
                if (given != null) {
                    for (int i = 0; i < count; i++) {
                        for (TokenBox box : given.get(i)) {
                            objects.get(i).add(Decoded.given(box));
                        }
                    }
                } else {
                    int[][] prompts = new int[count][];
                    Arrays.fill(prompts, suite.detection().prompt(List.of()));
                    GenerationResult result = generate(parameterStore, memory, prompts,
                            options(TaskKind.DETECTION, decoding, check));
                    for (int i = 0; i < count; i++) {
                        detections[i] = result.sequence(i);
                        List<TokenBox> boxes = suite.detection().decode(result.tokens(i), result.probabilities(i));
                        for (int j = 0; j < boxes.size(); j++) {
                            objects.get(i).add(Decoded.detected(ordered(boxes.get(j)), j));
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
            GeneratedSequence[] captionSequences = new GeneratedSequence[count];
            Arrays.fill(captionSequences, Analysis.NOT_RUN);
            if (tasks.contains(TaskKind.CAPTIONING)) {
                int[][] prompts = new int[count][];
                Arrays.fill(prompts, suite.captioning().prompt(null));
                GenerationResult result = generate(parameterStore, memory, prompts,
                        options(TaskKind.CAPTIONING, decoding, check));
                for (int i = 0; i < count; i++) {
                    captionSequences[i] = result.sequence(i);
                    captions[i] = suite.captioning().decode(result.tokens(i), result.probabilities(i));
                }
            }
            List<Analysis> analyses = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                ImageFrame frame = frames.get(i);
                List<AnalyzedObject> analyzed = new ArrayList<>(objects.get(i).size());
                for (Decoded object : objects.get(i)) {
                    analyzed.add(object.in(frame, classNames));
                }
                analyses.add(new Analysis(frame.width(), frame.height(), tasks, analyzed, captions[i], detections[i],
                        captionSequences[i]));
            }
            return analyses;
        }
    }

    /**
     * Prompts a task once per object, each with its own window of the image ({@link ObjectCrop},
     * as in training) encoded afresh; results come back in image coordinates. Keypoints are read
     * once per {@link PoseViews} reading and combined; the object keeps the first reading's tokens.
     */
    private void promptPerObject(ParameterStore parameterStore, List<byte[]> images, List<List<Decoded>> objects,
            TaskKind task, Function<TaskKind, DecodingOptions> decoding, Runnable check, NDManager call, boolean keypoints) {
        PoseViews views = keypoints ? poseViews : PoseViews.single();
        int readings = views.count();
        List<int[]> prompts = new ArrayList<>();
        List<int[]> owners = new ArrayList<>();
        List<ObjectCrop> windows = new ArrayList<>();
        for (int i = 0; i < objects.size(); i++) {
            List<Decoded> list = objects.get(i);
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
        GenerationResult result = generate(parameterStore, memory,
                prompts.toArray(int[][]::new), options(task, decoding, check));
        for (int k = 0; k < owners.size(); k += readings) {
            int[] owner = owners.get(k);
            List<Decoded> list = objects.get(owner[0]);
            Decoded object = list.get(owner[1]);
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

    private GenerationResult generate(ParameterStore parameterStore, NDArray memory, int[][] prompts,
            GenerationOptions options) {
        return batching == null
                ? Generator.generateFromMemory(model, parameterStore, memory, prompts, options)
                : batching.generate(memory, prompts, options);
    }

    private GenerationOptions options(TaskKind task, Function<TaskKind, DecodingOptions> decoding, Runnable check) {
        return suite.task(task).generationOptions(decoding.apply(task), logitsProcessors.apply(task), check);
    }

    /**
     * One object as decoded, coordinates normalised to [0, 1]: the working form while its box prompts
     * the other tasks, turned into the result type ({@link AnalyzedObject}) once, at the end.
     *
     * @param detectionIndex its place in the detection response, or -1 when its box was given
     */
    private record Decoded(TokenBox box, int detectionIndex, List<NormalizedPolygon> polygons,
            List<Keypoint> keypoints, int[] maskTokens, int[] keypointTokens) {

        static Decoded detected(TokenBox box, int detectionIndex) {
            return new Decoded(box, detectionIndex, List.of(), List.of(), new int[0], new int[0]);
        }

        static Decoded given(TokenBox box) {
            return detected(box, -1);
        }

        Decoded withMask(List<NormalizedPolygon> newPolygons, int[] tokens) {
            return new Decoded(box, detectionIndex, newPolygons, keypoints, tokens, keypointTokens);
        }

        Decoded withKeypoints(List<Keypoint> newKeypoints, int[] tokens) {
            return new Decoded(box, detectionIndex, polygons, newKeypoints, maskTokens, tokens);
        }

        AnalyzedObject in(ImageFrame frame, List<String> classNames) {
            int first = BoxTokenizer.TOKENS_PER_OBJECT * detectionIndex;
            int[] span = detectionIndex < 0 ? new int[0] : new int[] {first, first + BoxTokenizer.TOKENS_PER_OBJECT};
            return new AnalyzedObject(frame.detection(box, classNames), frame.polygons(polygons),
                    frame.pose(keypoints), span, maskTokens, keypointTokens);
        }
    }

    /** A decoded box with its corners in order, as prompts require. */
    private static TokenBox ordered(TokenBox b) {
        return new TokenBox(Math.min(b.ymin(), b.ymax()), Math.min(b.xmin(), b.xmax()), Math.max(b.ymin(), b.ymax()),
                Math.max(b.xmin(), b.xmax()), b.classIndex(), b.score());
    }
}
