package io.seqvision.tasks.study;

import io.seqvision.tasks.TaskKind;
import io.seqvision.tasks.api.Analysis;
import io.seqvision.tasks.api.AnalyzedObject;
import io.seqvision.tasks.api.Detection;
import io.seqvision.tasks.api.PosePoint;
import io.seqvision.tasks.data.AnnotatedObject;
import io.seqvision.tasks.data.MultiTaskDataset;
import io.seqvision.tasks.data.MultiTaskExample;
import io.seqvision.tasks.eval.Evaluator;
import io.seqvision.tasks.eval.ImagePredictions;
import io.seqvision.tokenizers.CocoKeypoints;
import io.seqvision.tokenizers.Keypoint;
import io.seqvision.tokenizers.TokenBox;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a model that ignores the image scores, computed from the training split and scored on the
 * held-out one by the same metrics as the encoders: on every image, one object per class at that
 * class's mean training box (normalised coordinates), scored by the class's share of the training
 * objects, its mask the box itself, a person's pose the mean training pose relative to its box;
 * the caption the most frequent training caption. On the ground-truth boxes (the top-down protocol)
 * each box gets the same mask and pose.
 */
public final class TrivialBaseline {

    /** In words, for the report. */
    public static final String DESCRIPTION = "on every image, each class's mean training box (scored by the class's"
            + " share of training objects, its mask the box, a person's pose the mean training pose within it) and"
            + " the most frequent training caption; on the ground-truth boxes (`gt_box_` figures), each box's mask"
            + " the box and a person's pose the mean training pose within it";

    private TrivialBaseline() {}

    /**
     * The baseline's held-out figures for {@code tasks}; with {@code truthPrompts} also its figures on the
     * ground-truth boxes ({@link Evaluator.Prompts#GROUND_TRUTH}): each box's mask the box itself, a person's
     * pose the mean training pose within it.
     */
    public static Map<String, Double> figures(MultiTaskDataset train, MultiTaskDataset val, Set<TaskKind> tasks,
            boolean truthPrompts) {
        double[][] pose = meanRelativePose(train);
        List<AnalyzedObject> objects = meanObjects(train, pose);
        String caption = mostFrequentCaption(train);
        List<ImagePredictions> predictions = new ArrayList<>();
        List<ImagePredictions> onTruth = new ArrayList<>();
        for (MultiTaskExample example : val.examples()) {
            List<AnalyzedObject> scaled = objects.stream()
                    .map(o -> scale(o, example.width(), example.height())).toList();
            predictions.add(new ImagePredictions(example.imageId(), new Analysis(example.width(), example.height(),
                    tasks, scaled, caption, Analysis.NOT_RUN, Analysis.NOT_RUN)));
            if (truthPrompts) {
                List<AnalyzedObject> given = Evaluator.truthPrompts(example).stream()
                        .map(b -> scale(boxObject(val.classNames(), b, pose), example.width(), example.height()))
                        .toList();
                onTruth.add(new ImagePredictions(example.imageId(), new Analysis(example.width(),
                        example.height(), tasks, given, caption, Analysis.NOT_RUN, Analysis.NOT_RUN)));
            }
        }
        Map<String, Double> figures = new LinkedHashMap<>(Evaluator.score(val, predictions, tasks));
        if (truthPrompts) {
            figures.putAll(Evaluator.scoreOnTruthBoxes(val, onTruth, tasks));
        }
        return figures;
    }

    /**
     * Per COCO keypoint the mean training position relative to its person's box ((x - xmin) / width, (y -
     * ymin) / height), null for a point never labelled; null when no training object has a pose.
     */
    static double[][] meanRelativePose(MultiTaskDataset train) {
        double[][] sum = new double[CocoKeypoints.COUNT][2];
        int[] count = new int[CocoKeypoints.COUNT];
        for (MultiTaskExample example : train.examples()) {
            for (AnnotatedObject object : example.objects()) {
                TokenBox b = object.box();
                double w = Math.max(b.xmax() - b.xmin(), 1e-9);
                double h = Math.max(b.ymax() - b.ymin(), 1e-9);
                for (int k = 0; k < object.keypoints().size(); k++) {
                    Keypoint p = object.keypoints().get(k);
                    if (p.labelled()) {
                        sum[k][0] += (p.x() - b.xmin()) / w;
                        sum[k][1] += (p.y() - b.ymin()) / h;
                        count[k]++;
                    }
                }
            }
        }
        double[][] mean = new double[CocoKeypoints.COUNT][];
        boolean any = false;
        for (int k = 0; k < CocoKeypoints.COUNT; k++) {
            if (count[k] > 0) {
                mean[k] = new double[] {sum[k][0] / count[k], sum[k][1] / count[k]};
                any = true;
            }
        }
        return any ? mean : null;
    }

    /** One object per class seen in training, in normalised coordinates (width and height 1). */
    static List<AnalyzedObject> meanObjects(MultiTaskDataset train, double[][] pose) {
        int classes = train.classNames().size();
        double[][] box = new double[classes][4];
        int[] count = new int[classes];
        int total = 0;
        for (MultiTaskExample example : train.examples()) {
            for (AnnotatedObject object : example.objects()) {
                TokenBox b = object.box();
                int c = b.classIndex();
                box[c][0] += b.xmin();
                box[c][1] += b.ymin();
                box[c][2] += b.xmax();
                box[c][3] += b.ymax();
                count[c]++;
                total++;
            }
        }
        List<AnalyzedObject> objects = new ArrayList<>();
        for (int c = 0; c < classes; c++) {
            if (count[c] > 0) {
                TokenBox mean = new TokenBox(box[c][1] / count[c], box[c][0] / count[c], box[c][3] / count[c],
                        box[c][2] / count[c], c, (double) count[c] / total);
                objects.add(boxObject(train.classNames(), mean, pose));
            }
        }
        return objects;
    }

    /** An object at {@code box} (normalised): its mask the box, a person's pose {@code pose} placed in it. */
    private static AnalyzedObject boxObject(List<String> classNames, TokenBox box, double[][] pose) {
        double x0 = box.xmin();
        double y0 = box.ymin();
        double x1 = box.xmax();
        double y1 = box.ymax();
        List<PosePoint> keypoints = new ArrayList<>();
        if ("person".equals(classNames.get(box.classIndex())) && pose != null) {
            for (int k = 0; k < CocoKeypoints.COUNT; k++) {
                boolean seen = pose[k] != null;
                double u = seen ? pose[k][0] : 0.5;
                double v = seen ? pose[k][1] : 0.5;
                keypoints.add(new PosePoint(CocoKeypoints.NAMES.get(k), x0 + u * (x1 - x0), y0 + v * (y1 - y0),
                        seen));
            }
        }
        Detection detection = new Detection(classNames.get(box.classIndex()), box.classIndex(), box.score(),
                x0, y0, x1, y1);
        return new AnalyzedObject(detection, List.of(new double[] {x0, y0, x1, y0, x1, y1, x0, y1}), keypoints,
                new int[0], new int[0], new int[0]);
    }

    private static AnalyzedObject scale(AnalyzedObject o, int width, int height) {
        Detection d = o.detection();
        Detection detection = new Detection(d.className(), d.classIndex(), d.score(),
                d.xmin() * width, d.ymin() * height, d.xmax() * width, d.ymax() * height);
        List<double[]> polygons = o.polygons().stream().map(xy -> {
            double[] s = xy.clone();
            for (int i = 0; i < s.length; i++) {
                s[i] *= i % 2 == 0 ? width : height;
            }
            return s;
        }).toList();
        List<PosePoint> keypoints = o.keypoints().stream()
                .map(p -> new PosePoint(p.name(), p.x() * width, p.y() * height, p.visible())).toList();
        return new AnalyzedObject(detection, polygons, keypoints, new int[0], new int[0], new int[0]);
    }

    /** The training caption written most often (the first of those tied, in reading order), or "" for none. */
    static String mostFrequentCaption(MultiTaskDataset train) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (MultiTaskExample example : train.examples()) {
            for (String caption : example.captions()) {
                counts.merge(caption, 1, Integer::sum);
            }
        }
        return counts.entrySet().stream().max(Comparator.comparingInt(Map.Entry::getValue))
                .map(Map.Entry::getKey).orElse("");
    }
}
