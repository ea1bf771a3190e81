package io.seqvision.web.service;

import io.seqvision.decoder.generate.GeneratedSequence;
import io.seqvision.tasks.TaskKind;
import io.seqvision.tasks.api.Analysis;
import io.seqvision.tasks.api.AnalyzedObject;
import io.seqvision.tasks.api.Detection;
import io.seqvision.tasks.api.PosePoint;
import io.seqvision.tokenizers.Vocabulary;
import io.seqvision.web.api.Box;
import io.seqvision.web.api.Caption;
import io.seqvision.web.api.DecodingView;
import io.seqvision.web.api.Keypoint;
import io.seqvision.web.api.KeypointLayout;
import io.seqvision.web.api.Point;
import io.seqvision.web.api.PredictedObject;
import io.seqvision.web.api.Prediction;
import io.seqvision.web.api.TokenSequence;
import io.seqvision.web.api.TokenSpan;
import io.seqvision.web.api.TokenView;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * The one mapping from the library's result type ({@link Analysis}) to the web's JSON ({@link
 * Prediction}).
 *
 * <p>Token sequences: the detection response first (prompt, five tokens per object, EOS), then
 * per object its mask and keypoint responses (each with its box prompt), then the caption; every
 * object and the caption point at the spans that produced them.
 */
public final class PredictionJson {

    private final String modelName;
    private final TokenLabels labels;
    private final IntFunction<String> captionTokenText;

    /**
     * @param modelName        the model's name, reported with every prediction
     * @param labels           how tokens are labelled for display
     * @param captionTokenText the text of one caption token
     */
    public PredictionJson(String modelName, TokenLabels labels, IntFunction<String> captionTokenText) {
        this.modelName = modelName;
        this.labels = labels;
        this.captionTokenText = captionTokenText;
    }

    /**
     * @param analysis  what the model said, in pixels of the uploaded image
     * @param asked     the tasks as the request named them
     * @param decoding  the decoding that ran
     * @param elapsedMs the time the analysis took
     */
    public Prediction prediction(Analysis analysis, List<WebTask> asked, DecodingView decoding, double elapsedMs) {
        Set<TaskKind> kinds = analysis.tasks();
        List<TokenSequence> sequences = new ArrayList<>();
        List<List<TokenSpan>> spans = new ArrayList<>();
        for (int i = 0; i < analysis.objects().size(); i++) {
            spans.add(new ArrayList<>());
        }
        if (kinds.contains(TaskKind.DETECTION) || !analysis.objects().isEmpty()) {
            sequences.add(detectionSequence(analysis.detectionSequence()));
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
            int[] tokens = analysis.captionSequence().tokens();
            List<TokenView> views = new ArrayList<>();
            views.add(labels.prompt(Vocabulary.PROMPT_CAPTION));
            for (int token : tokens) {
                views.add(new TokenView(token, "text", captionTokenText.apply(token), null));
            }
            views.add(labels.end());
            sequences.add(new TokenSequence(WebTask.CAPTIONING.apiName(), views, true));
            caption = new Caption(analysis.caption(),
                    List.of(new TokenSpan(sequences.size() - 1, 1, 2 + tokens.length)));
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
        return new Prediction(modelName, analysis.imageWidth(), analysis.imageHeight(),
                asked.stream().map(WebTask::apiName).toList(), objects, caption,
                anyKeypoints ? KeypointLayout.COCO : null, sequences, decoding, elapsedMs);
    }

    private TokenSequence detectionSequence(GeneratedSequence detection) {
        List<TokenView> views = new ArrayList<>();
        views.add(labels.prompt(Vocabulary.PROMPT_DETECTION));
        int[] tokens = detection.tokens();
        float[] probabilities = detection.probabilities();
        for (int i = 0; i < tokens.length; i++) {
            views.add(labels.detection(tokens[i], i, probabilities[i]));
        }
        if (detection.ended()) {
            views.add(labels.end());
        }
        return new TokenSequence(WebTask.DETECTION.apiName(), views, detection.ended());
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
}
