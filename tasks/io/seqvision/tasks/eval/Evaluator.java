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
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes held-out images with every trained task, as {@link MultiTaskPredictor} chains them, and
 * scores them: COCO box AP, mask AP and keypoint AP (OKS), caption BLEU-4 and CIDEr-D. Masks and
 * poses are prompted by the detected boxes when the model detects, by the ground-truth boxes
 * otherwise. Crowd regions are not represented (the loaders drop them), which matches data
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
        int personClass = MultiTaskPredictor.personClass(data.classNames());
        MultiTaskPredictor predictor = new MultiTaskPredictor(model, suite, data.classNames(), ModelBundle.imageInput(config),
                PoseViews.of(config.tasks().keypoints()), MultiTaskPredictor.logitsProcessors(config.tasks()));
        boolean detects = suite.trains(TaskKind.DETECTION);
        ParameterStore parameterStore = new ParameterStore(manager, false);
        List<ImagePredictions> predictions = new ArrayList<>();
        long started = System.nanoTime();
        int batchSize = config.eval().batchSize();
        for (int start = 0; start < count; start += batchSize) {
            List<MultiTaskExample> batch = data.examples().subList(start, Math.min(count, start + batchSize));
            List<List<TokenBox>> given = detects ? null : new ArrayList<>();
            for (int i = 0; i < batch.size(); i++) {
                if (given != null) {
                    given.add(batch.get(i).objects().stream().map(o -> withScore(o.box())).toList());
                }
            }
            try (NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                List<Analysis> outputs = predictor.predict(parameterStore,
                        batch.stream().map(MultiTaskExample::pixels).toList(),
                        batch.stream().map(e -> new ImageFrame(e.width(), e.height())).toList(), suite.trained(),
                        decoding::get, given);
                for (int i = 0; i < batch.size(); i++) {
                    predictions.add(new ImagePredictions(batch.get(i).imageId(), outputs.get(i)));
                }
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        List<MultiTaskExample> evaluated = data.examples().subList(0, count);
        Scores scores = new Scores();
        if (detects) {
            scores.box = TaskScores.boxes(evaluated, predictions, data.categoryIds(), scores);
        }
        if (suite.trains(TaskKind.SEGMENTATION)) {
            TaskScores.masks(evaluated, predictions, data.categoryIds(), scores);
        }
        if (suite.trains(TaskKind.KEYPOINTS) && personClass >= 0) {
            TaskScores.keypoints(evaluated, predictions, data.categoryIds().get(personClass), scores);
        }
        if (suite.trains(TaskKind.CAPTIONING)) {
            TaskScores.captions(evaluated, predictions, scores);
        }
        return new EvaluationResult(scores.figures, scores.box, scores.report.toString(), predictions,
                count / Math.max(seconds, 1e-9));
    }

    /**
     * Scores predictions made some other way (one per image of {@code data}, in order) with the
     * same metrics as {@link #evaluate}, for the {@code tasks} given: a baseline's figures.
     */
    public static Map<String, Double> score(MultiTaskDataset data, List<ImagePredictions> predictions,
            java.util.Set<TaskKind> tasks) {
        if (predictions.size() != data.size()) {
            throw new IllegalArgumentException(predictions.size() + " predictions for " + data.size() + " images");
        }
        Scores scores = new Scores();
        int personClass = MultiTaskPredictor.personClass(data.classNames());
        if (tasks.contains(TaskKind.DETECTION)) {
            TaskScores.boxes(data.examples(), predictions, data.categoryIds(), scores);
        }
        if (tasks.contains(TaskKind.SEGMENTATION)) {
            TaskScores.masks(data.examples(), predictions, data.categoryIds(), scores);
        }
        if (tasks.contains(TaskKind.KEYPOINTS) && personClass >= 0) {
            TaskScores.keypoints(data.examples(), predictions, data.categoryIds().get(personClass), scores);
        }
        if (tasks.contains(TaskKind.CAPTIONING)) {
            TaskScores.captions(data.examples(), predictions, scores);
        }
        return scores.figures;
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
