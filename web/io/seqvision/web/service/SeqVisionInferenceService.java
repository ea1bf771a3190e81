package io.seqvision.web.service;

import io.seqvision.tasks.TaskKind;
import io.seqvision.tasks.api.AnalyzedObject;
import io.seqvision.tasks.api.Analysis;
import io.seqvision.tasks.DecodingOptions;
import io.seqvision.tasks.api.Detection;
import io.seqvision.tasks.api.PosePoint;
import io.seqvision.tasks.api.SeqVisionModel;
import io.seqvision.tasks.model.ModelBundle;
import io.seqvision.tokenizers.Vocabulary;
import io.seqvision.web.api.Box;
import io.seqvision.web.api.Caption;
import io.seqvision.web.api.DecodingView;
import io.seqvision.web.api.Keypoint;
import io.seqvision.web.api.KeypointLayout;
import io.seqvision.web.api.ModelDescription;
import io.seqvision.web.api.Point;
import io.seqvision.web.api.PredictedObject;
import io.seqvision.web.api.Prediction;
import io.seqvision.web.api.TokenSequence;
import io.seqvision.web.api.TokenSpan;
import io.seqvision.web.api.TokenView;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The web layer's model: a {@link SeqVisionModel} loaded from a model directory, offering the
 * tasks it was trained for. One {@link SeqVisionModel#analyze} call per request runs every asked
 * task on one encoding of the image; the request's {@link Deadline} is checked before every
 * decoding step, so a request past its time stops at the next token.
 *
 * <p>Token sequences: the detection response first (prompt, five tokens per object, EOS), then
 * per object its mask and keypoint responses (each with its box prompt), then the caption; every
 * object and the caption point at the spans that produced them.
 */
public final class SeqVisionInferenceService implements InferenceService, AutoCloseable {

    private final SeqVisionModel model;
    private final ModelDescription description;
    private final TokenLabels labels;

    private SeqVisionInferenceService(SeqVisionModel model, ModelBundle bundle) {
        this.model = model;
        List<String> tasks = new ArrayList<>();
        for (WebTask task : WebTask.values()) {
            if (model.tasks().contains(task.kind())) {
                tasks.add(task.apiName());
            }
        }
        this.description = new ModelDescription(bundle.config().name(), bundle.config().model().encoder(),
                model.imageSize(), model.classNames(), tasks, DecodingView.of(model.defaultDecoding()), bundle.step());
        this.labels = new TokenLabels(model.vocabulary(), model.classNames());
    }

    /** Loads the model directory written by training. */
    public static SeqVisionInferenceService load(Path modelDir) {
        ModelBundle bundle = ModelBundle.read(modelDir);
        return new SeqVisionInferenceService(SeqVisionModel.load(modelDir), bundle);
    }

    /** The directory the model was loaded from. */
    public Path modelDirectory() {
        return model.directory();
    }

    @Override
    public ModelDescription describe() {
        return description;
    }

    @Override
    public Prediction predict(PredictionRequest request, Deadline deadline) {
        Set<TaskKind> kinds = EnumSet.noneOf(TaskKind.class);
        for (WebTask task : request.tasks()) {
            if (!description.tasks().contains(task.apiName())) {
                throw new IllegalArgumentException("model " + description.name() + " supports only "
                        + description.tasks() + ", not " + task.apiName());
            }
            kinds.add(task.kind());
        }
        DecodingOptions options = request.decoding();
        long start = System.nanoTime();
        BufferedImage image = request.image();
        Analysis analysis = model.analyze(image, kinds, options, deadline::check);

        List<TokenSequence> sequences = new ArrayList<>();
        List<List<TokenSpan>> spans = new ArrayList<>();
        for (int i = 0; i < analysis.objects().size(); i++) {
            spans.add(new ArrayList<>());
        }
        if (kinds.contains(TaskKind.DETECTION) || !analysis.objects().isEmpty()) {
            sequences.add(detectionSequence(analysis));
            for (int i = 0; i < analysis.objects().size(); i++) {
                int[] span = analysis.objects().get(i).detectionSpan();
                spans.get(i).add(new TokenSpan(0, 1 + span[0], 1 + span[1]));
            }
        }
        for (int i = 0; i < analysis.objects().size(); i++) {
            AnalyzedObject object = analysis.objects().get(i);
            if (kinds.contains(TaskKind.SEGMENTATION)) {
                spans.get(i).add(promptedSequence(sequences, "segmentation", Vocabulary.PROMPT_SEGMENTATION,
                        object.maskTokens()));
            }
            if (!object.keypoints().isEmpty()) {
                spans.get(i).add(promptedSequence(sequences, "keypoints", Vocabulary.PROMPT_KEYPOINTS,
                        object.keypointTokens()));
            }
        }
        Caption caption = null;
        if (analysis.caption() != null) {
            List<TokenView> views = new ArrayList<>();
            views.add(labels.prompt(Vocabulary.PROMPT_CAPTION));
            for (int token : analysis.captionTokens()) {
                views.add(new TokenView(token, "text", model.tokenText(token), null));
            }
            views.add(labels.end());
            sequences.add(new TokenSequence(WebTask.CAPTIONING.apiName(), views, true));
            caption = new Caption(analysis.caption(),
                    List.of(new TokenSpan(sequences.size() - 1, 1, 2 + analysis.captionTokens().length)));
        }

        List<PredictedObject> objects = new ArrayList<>();
        boolean anyKeypoints = false;
        for (int i = 0; i < analysis.objects().size(); i++) {
            AnalyzedObject object = analysis.objects().get(i);
            Detection d = object.detection();
            List<List<Point>> mask = kinds.contains(TaskKind.SEGMENTATION) ? polygons(object) : null;
            List<Keypoint> keypoints = object.keypoints().isEmpty() ? null : keypoints(object.keypoints());
            anyKeypoints |= keypoints != null;
            objects.add(new PredictedObject(i, d.className(), d.classIndex(), d.score(),
                    new Box(d.xmin(), d.ymin(), d.xmax(), d.ymax()), mask, keypoints, spans.get(i)));
        }
        double elapsedMs = (System.nanoTime() - start) / 1e6;
        return new Prediction(description.name(), image.getWidth(), image.getHeight(),
                request.tasks().stream().map(WebTask::apiName).toList(), objects, caption,
                anyKeypoints ? KeypointLayout.COCO : null, sequences,
                DecodingView.of(options == null ? model.defaultDecoding() : options), elapsedMs);
    }

    private TokenSequence detectionSequence(Analysis analysis) {
        List<TokenView> views = new ArrayList<>();
        views.add(labels.prompt(Vocabulary.PROMPT_DETECTION));
        int[] tokens = analysis.detectionTokens();
        for (int i = 0; i < tokens.length; i++) {
            views.add(labels.detection(tokens[i], i, analysis.detectionProbabilities()[i]));
        }
        if (analysis.detectionEnded()) {
            views.add(labels.end());
        }
        return new TokenSequence(WebTask.DETECTION.apiName(), views, analysis.detectionEnded());
    }

    /** Adds a box-prompted response as its own sequence; returns the span of the response tokens. */
    private TokenSpan promptedSequence(List<TokenSequence> sequences, String task, int promptToken, int[] response) {
        List<TokenView> views = new ArrayList<>();
        views.add(labels.prompt(promptToken));
        for (int token : response) {
            TokenView view = labels.generic(token, 0f);
            views.add(new TokenView(view.id(), view.kind(), view.text(), null));
        }
        views.add(labels.end());
        sequences.add(new TokenSequence(task, views, true));
        // the span ends after EOS, so that an empty response still points at the token that ended it
        return new TokenSpan(sequences.size() - 1, 1, 2 + response.length);
    }

    private static List<List<Point>> polygons(AnalyzedObject object) {
        List<List<Point>> polygons = new ArrayList<>();
        for (double[] xy : object.polygons()) {
            List<Point> points = new ArrayList<>(xy.length / 2);
            for (int k = 0; k < xy.length; k += 2) {
                points.add(new Point(xy[k], xy[k + 1]));
            }
            polygons.add(points);
        }
        return polygons;
    }

    private static List<Keypoint> keypoints(List<PosePoint> points) {
        return points.stream().map(p -> new Keypoint(p.x(), p.y(), p.visible() ? 2 : 0)).toList();
    }

    @Override
    public void close() {
        model.close();
    }
}
