package io.seqvision.tasks.eval;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.ParameterStore;
import io.seqvision.decoder.EncoderDecoderModel;
import io.seqvision.tasks.DecodingOptions;
import io.seqvision.tasks.TaskKind;
import io.seqvision.tasks.api.Analysis;
import io.seqvision.tasks.api.ImageFrame;
import io.seqvision.tasks.api.MultiTaskPredictor;
import io.seqvision.tasks.api.PoseViews;
import io.seqvision.tasks.config.SeqVisionConfig;
import io.seqvision.tasks.data.AnnotatedObject;
import io.seqvision.tasks.data.MultiTaskDataset;
import io.seqvision.tasks.data.MultiTaskExample;
import io.seqvision.tasks.model.ModelBundle;
import io.seqvision.tasks.model.TaskSuite;
import io.seqvision.tokenizers.TokenBox;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Decodes held-out images with every trained task, as {@link MultiTaskPredictor} chains them, and
 * scores them: COCO box AP, mask AP and keypoint AP (OKS), caption BLEU-4 and CIDEr-D. Masks and
 * poses are prompted by the detected boxes when the model detects, by the ground-truth boxes
 * otherwise; with {@code eval.ground_truth_prompts} a model that detects is also scored on the
 * ground-truth boxes ({@link Prompts}). Crowd regions are not represented (the loaders drop them), which matches data
 * without crowd annotations such as shapes.
 */
public final class Evaluator {

    private Evaluator() {}

    /** Evaluates on {@code data}, whose pixels were prepared at the config's image size. */
    public static EvaluationResult evaluate(EncoderDecoderModel model, TaskSuite suite, MultiTaskDataset data,
            SeqVisionConfig config, NDManager manager) {
        int count = config.eval().maxImages() > 0 ? Math.min(config.eval().maxImages(), data.size()) : data.size();
        // the config's decoding and repetition control, which an evaluation overlay may change from the
        // model's own
        Map<TaskKind, DecodingOptions> decoding = new EnumMap<>(TaskKind.class);
        for (TaskKind task : TaskKind.values()) {
            decoding.put(task, DecodingOptions.fromConfig(config.tasks().of(task).sampling(), config.seed()));
        }
        MultiTaskPredictor predictor = new MultiTaskPredictor(model, suite, data.classNames(), ModelBundle.imageInput(config),
                PoseViews.of(config.tasks().keypoints()), MultiTaskPredictor.logitsProcessors(config.tasks()));
        boolean detects = suite.trains(TaskKind.DETECTION);
        ParameterStore parameterStore = new ParameterStore(manager, false);
        List<MultiTaskExample> evaluated = data.examples().subList(0, count);
        long started = System.nanoTime();
        List<ImagePredictions> predictions = predictAll(predictor, parameterStore, evaluated, config.eval().batchSize(),
                suite.trained(), decoding, detects ? null : Evaluator::truthPrompts);
        double seconds = (System.nanoTime() - started) / 1e9;
        Scores scores = new Scores();
        if (detects) {
            scores.box = TaskScores.boxes(evaluated, predictions, data.categoryIds(), scores);
        }
        scorePrompted(evaluated, predictions, data, suite.trained(), Prompts.DETECTED, scores);
        if (suite.trains(TaskKind.CAPTIONING)) {
            TaskScores.captions(evaluated, predictions, scores);
        }
        Set<TaskKind> prompted = promptedTasks(suite.trained());
        if (detects && config.eval().groundTruthPrompts() && !prompted.isEmpty()) {
            List<ImagePredictions> onTruth = predictAll(predictor, parameterStore, evaluated,
                    config.eval().batchSize(), prompted, decoding, Evaluator::truthPrompts);
            scorePrompted(evaluated, onTruth, data, prompted, Prompts.GROUND_TRUTH, scores);
        }
        return new EvaluationResult(scores.figures, scores.box, scores.report.toString(), predictions,
                count / Math.max(seconds, 1e-9));
    }

    /**
     * Runs {@code tasks} on {@code examples}, {@code batchSize} images at a time; {@code prompts} gives each
     * image's boxes for segmentation and keypoints, null to detect them.
     */
    private static List<ImagePredictions> predictAll(MultiTaskPredictor predictor, ParameterStore parameterStore,
            List<MultiTaskExample> examples, int batchSize, Set<TaskKind> tasks,
            Map<TaskKind, DecodingOptions> decoding, Function<MultiTaskExample, List<TokenBox>> prompts) {
        List<ImagePredictions> predictions = new ArrayList<>();
        for (int start = 0; start < examples.size(); start += batchSize) {
            List<MultiTaskExample> batch = examples.subList(start, Math.min(examples.size(), start + batchSize));
            try (NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                List<Analysis> outputs = predictor.predict(parameterStore,
                        batch.stream().map(MultiTaskExample::pixels).toList(),
                        batch.stream().map(e -> new ImageFrame(e.width(), e.height())).toList(), tasks, decoding::get,
                        prompts == null ? null : batch.stream().map(prompts).toList());
                for (int i = 0; i < batch.size(); i++) {
                    predictions.add(new ImagePredictions(batch.get(i).imageId(), outputs.get(i)));
                }
            }
        }
        return predictions;
    }

    /**
     * Which boxes prompted segmentation and keypoints: the model's own detections (the figures {@code
     * segmentation.ap}, {@code keypoints.ap}, ...), or the ground-truth boxes, the top-down protocol that
     * measures those tasks apart from detection ({@code segmentation.gt_box_ap}, {@code keypoints.gt_box_ap},
     * ...).
     */
    public enum Prompts {
        DETECTED(""),
        GROUND_TRUTH("gt_box_");

        private final String figurePrefix;

        Prompts(String figurePrefix) {
            this.figurePrefix = figurePrefix;
        }

        /** A figure's full name: {@code task + "." + prefix + metric}. */
        public String figure(String task, String metric) {
            return task + "." + figurePrefix + metric;
        }
    }

    /** The tasks of {@code tasks} that objects' boxes prompt: segmentation and keypoints. */
    private static Set<TaskKind> promptedTasks(Set<TaskKind> tasks) {
        Set<TaskKind> prompted = EnumSet.of(TaskKind.SEGMENTATION, TaskKind.KEYPOINTS);
        prompted.retainAll(tasks);
        return prompted;
    }

    /** An image's ground-truth boxes as prompts, each certain. */
    public static List<TokenBox> truthPrompts(MultiTaskExample example) {
        return example.objects().stream().map(o -> withScore(o.box())).toList();
    }

    private static void scorePrompted(List<MultiTaskExample> examples, List<ImagePredictions> predictions,
            MultiTaskDataset data, Set<TaskKind> tasks, Prompts prompts, Scores scores) {
        int personClass = MultiTaskPredictor.personClass(data.classNames());
        if (tasks.contains(TaskKind.SEGMENTATION)) {
            TaskScores.masks(examples, predictions, data.categoryIds(), prompts, scores);
        }
        if (tasks.contains(TaskKind.KEYPOINTS) && personClass >= 0) {
            TaskScores.keypoints(examples, predictions, data.categoryIds().get(personClass), prompts, scores);
        }
    }

    /**
     * Scores predictions made some other way (one per image of {@code data}, in order) with the
     * same metrics as {@link #evaluate}, for the {@code tasks} given: a baseline's figures.
     */
    public static Map<String, Double> score(MultiTaskDataset data, List<ImagePredictions> predictions,
            Set<TaskKind> tasks) {
        requireOnePerImage(data, predictions);
        Scores scores = new Scores();
        if (tasks.contains(TaskKind.DETECTION)) {
            TaskScores.boxes(data.examples(), predictions, data.categoryIds(), scores);
        }
        scorePrompted(data.examples(), predictions, data, tasks, Prompts.DETECTED, scores);
        if (tasks.contains(TaskKind.CAPTIONING)) {
            TaskScores.captions(data.examples(), predictions, scores);
        }
        return scores.figures;
    }

    /**
     * Scores masks and poses made some other way on the ground-truth boxes ({@link Prompts#GROUND_TRUTH}), for
     * the prompted tasks among {@code tasks}: a baseline's figures on the top-down protocol.
     */
    public static Map<String, Double> scoreOnTruthBoxes(MultiTaskDataset data, List<ImagePredictions> predictions,
            Set<TaskKind> tasks) {
        requireOnePerImage(data, predictions);
        Scores scores = new Scores();
        scorePrompted(data.examples(), predictions, data, tasks, Prompts.GROUND_TRUTH, scores);
        return scores.figures;
    }

    private static void requireOnePerImage(MultiTaskDataset data, List<ImagePredictions> predictions) {
        if (predictions.size() != data.size()) {
            throw new IllegalArgumentException(predictions.size() + " predictions for " + data.size() + " images");
        }
    }

    /** A ground-truth box used as a prompt: certain. */
    private static TokenBox withScore(TokenBox box) {
        return new TokenBox(box.ymin(), box.xmin(), box.ymax(), box.xmax(), box.classIndex(), 1.0);
    }

    /** The figures and text report being assembled. */
    static final class Scores {
        final Map<String, Double> figures = new LinkedHashMap<>();
        final StringBuilder report = new StringBuilder();
        io.seqvision.tasks.metrics.ApResult box;

        void section(String title, String body) {
            report.append(title).append('\n').append(body).append("\n\n");
        }
    }

    static boolean hasKeypoints(AnnotatedObject object) {
        return object.keypoints().size() == io.seqvision.tokenizers.CocoKeypoints.COUNT;
    }
}
