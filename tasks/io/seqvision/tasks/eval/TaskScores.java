package io.seqvision.tasks.eval;

import io.seqvision.tasks.api.AnalyzedObject;
import io.seqvision.tasks.api.Detection;
import io.seqvision.tasks.api.PosePoint;
import io.seqvision.tasks.data.AnnotatedObject;
import io.seqvision.tasks.data.MultiTaskExample;
import io.seqvision.tasks.metrics.ApResult;
import io.seqvision.tasks.metrics.BoxApEvaluator;
import io.seqvision.tasks.metrics.CaptionEvaluator;
import io.seqvision.tasks.metrics.CaptionScores;
import io.seqvision.tasks.metrics.DetectionBox;
import io.seqvision.tasks.metrics.DetectionKeypoints;
import io.seqvision.tasks.metrics.DetectionMask;
import io.seqvision.tasks.metrics.GroundTruthBox;
import io.seqvision.tasks.metrics.GroundTruthKeypoints;
import io.seqvision.tasks.metrics.GroundTruthMask;
import io.seqvision.tasks.metrics.KeypointApEvaluator;
import io.seqvision.tasks.metrics.KeypointApResult;
import io.seqvision.tasks.metrics.MaskApEvaluator;
import io.seqvision.tasks.metrics.RunLengthMask;
import io.seqvision.tokenizers.Keypoint;
import io.seqvision.tokenizers.PolygonRasterizer;
import io.seqvision.tokenizers.TokenBox;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Turns normalised predictions and targets into each metric's pixel-space inputs and scores them. */
final class TaskScores {

    private TaskScores() {}

    static ApResult boxes(List<MultiTaskExample> examples, List<ImagePredictions> predictions,
            List<Integer> categoryIds, Evaluator.Scores scores) {
        List<GroundTruthBox> truths = new ArrayList<>();
        List<DetectionBox> detections = new ArrayList<>();
        for (int i = 0; i < examples.size(); i++) {
            MultiTaskExample example = examples.get(i);
            for (AnnotatedObject object : example.objects()) {
                TokenBox b = object.box();
                truths.add(GroundTruthBox.of(example.imageId(), categoryIds.get(b.classIndex()),
                        b.xmin() * example.width(), b.ymin() * example.height(),
                        (b.xmax() - b.xmin()) * example.width(), (b.ymax() - b.ymin()) * example.height()));
            }
            for (AnalyzedObject object : predictions.get(i).analysis().objects()) {
                Detection d = object.detection();
                detections.add(new DetectionBox(example.imageId(), categoryIds.get(d.classIndex()),
                        d.xmin(), d.ymin(), d.width(), d.height(), d.score()));
            }
        }
        ApResult ap = BoxApEvaluator.evaluate(truths, detections);
        scores.figures.put("detection.ap", ap.ap());
        scores.figures.put("detection.ap50", ap.ap50());
        scores.figures.put("detection.ap75", ap.ap75());
        scores.section("detection (box AP)", ap.format());
        return ap;
    }

    static void masks(List<MultiTaskExample> examples, List<ImagePredictions> predictions,
            List<Integer> categoryIds, Evaluator.Prompts prompts, Evaluator.Scores scores) {
        List<GroundTruthMask> truths = new ArrayList<>();
        List<DetectionMask> detections = new ArrayList<>();
        for (int i = 0; i < examples.size(); i++) {
            MultiTaskExample example = examples.get(i);
            int w = example.width();
            int h = example.height();
            for (AnnotatedObject object : example.objects()) {
                if (object.hasMask()) {
                    truths.add(new GroundTruthMask(example.imageId(), categoryIds.get(object.box().classIndex()),
                            RunLengthMask.of(PolygonRasterizer.rasterize(object.polygons(), w, h)), object.area(),
                            false));
                }
            }
            for (AnalyzedObject object : predictions.get(i).analysis().objects()) {
                Detection d = object.detection();
                detections.add(DetectionMask.of(example.imageId(), categoryIds.get(d.classIndex()),
                        PolygonRasterizer.rasterizePixels(object.polygons(), w, h), d.score()));
            }
        }
        ApResult ap = MaskApEvaluator.evaluate(truths, detections);
        scores.figures.put(prompts.figure("segmentation", "ap"), ap.ap());
        scores.figures.put(prompts.figure("segmentation", "ap50"), ap.ap50());
        scores.figures.put(prompts.figure("segmentation", "ap75"), ap.ap75());
        scores.section("segmentation (mask AP)" + promptedBy(prompts), ap.format());
    }

    static void keypoints(List<MultiTaskExample> examples, List<ImagePredictions> predictions, int personCategory,
            Evaluator.Prompts prompts, Evaluator.Scores scores) {
        List<GroundTruthKeypoints> truths = new ArrayList<>();
        List<DetectionKeypoints> detections = new ArrayList<>();
        double oksSum = 0;
        for (int i = 0; i < examples.size(); i++) {
            MultiTaskExample example = examples.get(i);
            int w = example.width();
            int h = example.height();
            List<AnalyzedObject> predicted = predictions.get(i).analysis().objects();
            if (prompts == Evaluator.Prompts.GROUND_TRUTH && predicted.size() != example.objects().size()) {
                throw new IllegalArgumentException("image " + example.imageId() + ": " + predicted.size()
                        + " objects predicted on its " + example.objects().size() + " ground-truth boxes");
            }
            for (int j = 0; j < example.objects().size(); j++) {
                AnnotatedObject object = example.objects().get(j);
                if (Evaluator.hasKeypoints(object)) {
                    TokenBox b = object.box();
                    GroundTruthKeypoints truth = new GroundTruthKeypoints(example.imageId(), personCategory,
                            pixels(object.keypoints(), w, h), b.xmin() * w, b.ymin() * h,
                            (b.xmax() - b.xmin()) * w, (b.ymax() - b.ymin()) * h, object.area(), false);
                    truths.add(truth);
                    if (prompts == Evaluator.Prompts.GROUND_TRUTH && !predicted.get(j).keypoints().isEmpty()) {
                        oksSum += KeypointApEvaluator.oks(pose(example.imageId(), personCategory, predicted.get(j)),
                                truth);
                    }
                }
            }
            for (AnalyzedObject object : predicted) {
                if (!object.keypoints().isEmpty()) {
                    detections.add(pose(example.imageId(), personCategory, object));
                }
            }
        }
        KeypointApResult ap = KeypointApEvaluator.evaluate(truths, detections);
        scores.figures.put(prompts.figure("keypoints", "ap"), ap.ap());
        scores.figures.put(prompts.figure("keypoints", "ap50"), ap.ap50());
        scores.figures.put(prompts.figure("keypoints", "ap75"), ap.ap75());
        String report = ap.format();
        if (prompts == Evaluator.Prompts.GROUND_TRUTH && !truths.isEmpty()) {
            // each pose was read from its own person's box, so no matching is needed: the mean OKS over
            // persons grades poses too coarse for any AP threshold (a missing pose counts 0)
            double meanOks = oksSum / truths.size();
            scores.figures.put(prompts.figure("keypoints", "mean_oks"), meanOks);
            report += String.format(Locale.ROOT, "%n mean OKS over the %d persons = %.3f", truths.size(),
                    meanOks);
        }
        scores.section("keypoints (OKS AP)" + promptedBy(prompts), report);
    }

    /** A predicted pose as a COCO keypoint result, in pixels. */
    private static DetectionKeypoints pose(long imageId, int personCategory, AnalyzedObject object) {
        // a point the model calls unlabelled still enters OKS: put it at the box centre, not at (0, 0),
        // which would also inflate the pose's area and so its size bucket
        Detection d = object.detection();
        double[] flat = new double[3 * object.keypoints().size()];
        for (int k = 0; k < object.keypoints().size(); k++) {
            PosePoint p = object.keypoints().get(k);
            flat[3 * k] = p.visible() ? p.x() : (d.xmin() + d.xmax()) / 2;
            flat[3 * k + 1] = p.visible() ? p.y() : (d.ymin() + d.ymax()) / 2;
            flat[3 * k + 2] = p.visible() ? 2 : 0;
        }
        return new DetectionKeypoints(imageId, personCategory, flat, d.score());
    }

    private static String promptedBy(Evaluator.Prompts prompts) {
        return prompts == Evaluator.Prompts.GROUND_TRUTH ? " on the ground-truth boxes" : "";
    }

    /** COCO's flat {@code x, y, v} array in pixels; unlabelled points are {@code 0, 0, 0}. */
    private static double[] pixels(List<Keypoint> keypoints, int width, int height) {
        double[] flat = new double[3 * keypoints.size()];
        for (int k = 0; k < keypoints.size(); k++) {
            Keypoint p = keypoints.get(k);
            if (p.labelled()) {
                flat[3 * k] = p.x() * width;
                flat[3 * k + 1] = p.y() * height;
                flat[3 * k + 2] = p.visibility();
            }
        }
        return flat;
    }

    static void captions(List<MultiTaskExample> examples, List<ImagePredictions> predictions,
            Evaluator.Scores scores) {
        Map<Long, List<String>> references = new LinkedHashMap<>();
        Map<Long, String> candidates = new LinkedHashMap<>();
        for (int i = 0; i < examples.size(); i++) {
            MultiTaskExample example = examples.get(i);
            if (example.captions().isEmpty()) {
                continue;
            }
            references.put(example.imageId(), example.captions());
            String caption = predictions.get(i).analysis().caption();
            candidates.put(example.imageId(), caption == null ? "" : caption);
        }
        if (references.isEmpty()) {
            return;
        }
        CaptionScores result = CaptionEvaluator.evaluate(references, candidates);
        scores.figures.put("captioning.bleu4", result.bleu4());
        scores.figures.put("captioning.cider", result.ciderD());
        scores.section("captioning", result.format());
    }
}
