package io.seqvision.tasks.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqvision.tasks.TaskKind;
import io.seqvision.tasks.api.Analysis;
import io.seqvision.tasks.api.AnalyzedObject;
import io.seqvision.tasks.api.ImageFrame;
import io.seqvision.tasks.data.AnnotatedObject;
import io.seqvision.tasks.data.MultiTaskDataset;
import io.seqvision.tasks.data.MultiTaskExample;
import io.seqvision.tasks.training.TrainingFixtures;
import io.seqvision.tokenizers.Keypoint;
import io.seqvision.tokenizers.TokenBox;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** The evaluator's conversion from normalised outputs to each metric, checked on predictions made from the truth. */
class TaskScoresTest {

    private static final MultiTaskDataset DATA = TrainingFixtures.syntheticDataset(10, 8);

    private static List<ImagePredictions> predictions(UnaryOperator<TokenBox> boxChange, boolean misplacePoses) {
        List<ImagePredictions> predictions = new ArrayList<>();
        for (MultiTaskExample example : DATA.examples()) {
            ImageFrame frame = new ImageFrame(example.width(), example.height());
            List<AnalyzedObject> objects = new ArrayList<>();
            for (AnnotatedObject o : example.objects()) {
                TokenBox b = o.box();
                TokenBox scored = boxChange.apply(new TokenBox(b.ymin(), b.xmin(), b.ymax(), b.xmax(), b.classIndex(), 0.9));
                List<Keypoint> pose = misplacePoses
                        ? o.keypoints().stream().map(p -> new Keypoint(1 - p.x(), 1 - p.y(), p.visibility())).toList()
                        : o.keypoints();
                objects.add(new AnalyzedObject(frame.detection(scored, DATA.classNames()), frame.polygons(o.polygons()),
                        frame.pose(pose), new int[0], new int[0], new int[0]));
            }
            predictions.add(new ImagePredictions(example.imageId(), new Analysis(frame.width(), frame.height(),
                    EnumSet.allOf(TaskKind.class), objects, example.captions().get(0), Analysis.NOT_RUN,
                    Analysis.NOT_RUN)));
        }
        return predictions;
    }

    private static Evaluator.Scores score(List<ImagePredictions> predictions) {
        Evaluator.Scores scores = new Evaluator.Scores();
        TaskScores.boxes(DATA.examples(), predictions, DATA.categoryIds(), scores);
        TaskScores.masks(DATA.examples(), predictions, DATA.categoryIds(), Evaluator.Prompts.DETECTED, scores);
        TaskScores.keypoints(DATA.examples(), predictions, DATA.categoryIds().get(1), Evaluator.Prompts.DETECTED,
                scores);
        TaskScores.captions(DATA.examples(), predictions, scores);
        return scores;
    }

    @Test
    void predictionsEqualToTheTruthScoreOneOnEveryMetric() {
        Evaluator.Scores scores = score(predictions(b -> b, false));
        for (String figure : List.of("detection.ap", "detection.ap50", "segmentation.ap", "segmentation.ap50",
                "keypoints.ap", "keypoints.ap50")) {
            assertEquals(1.0, scores.figures.get(figure), 1e-12, figure);
        }
        // coco-caption's BLEU adds 1e-9 to every clipped count, so identical captions score 1 - O(1e-9)
        assertEquals(1.0, scores.figures.get("captioning.bleu4"), 1e-8);
        assertTrue(scores.figures.get("captioning.cider") > 0);
        assertTrue(scores.report.toString().contains("segmentation (mask AP)"));
    }

    @Test
    void wrongClassesAndMissingPosesLowerTheirMetricsOnly() {
        Evaluator.Scores scores = score(predictions(b -> new TokenBox(b.ymin(), b.xmin(), b.ymax(), b.xmax(),
                1 - b.classIndex(), b.score()), true));
        assertEquals(0.0, scores.figures.get("detection.ap50"), 1e-12, "every class swapped: nothing matches");
        assertEquals(0.0, scores.figures.get("segmentation.ap50"), 1e-12);
        assertEquals(0.0, scores.figures.get("keypoints.ap50"), 1e-12, "every pose mirrored through the centre");
        assertEquals(1.0, scores.figures.get("captioning.bleu4"), 1e-8);
    }

    @Test
    void onTheGroundTruthBoxesEachPersonsPoseIsGradedByItsOksAndAMissingPoseCountsZero() {
        List<ImagePredictions> predictions = predictions(b -> b, false);
        int persons = 0;
        int dropped = 0;
        List<ImagePredictions> someDropped = new ArrayList<>();
        for (ImagePredictions image : predictions) {
            List<AnalyzedObject> objects = new ArrayList<>();
            for (AnalyzedObject o : image.analysis().objects()) {
                if (!o.keypoints().isEmpty()) {
                    persons++;
                    if (persons % 3 == 0) {
                        dropped++;
                        o = new AnalyzedObject(o.detection(), o.polygons(), List.of(), new int[0], new int[0],
                                new int[0]);
                    }
                }
                objects.add(o);
            }
            Analysis a = image.analysis();
            someDropped.add(new ImagePredictions(image.imageId(), new Analysis(a.imageWidth(), a.imageHeight(), a.tasks(),
                    objects, a.caption(), Analysis.NOT_RUN, Analysis.NOT_RUN)));
        }
        assertTrue(dropped > 0 && persons > dropped, persons + " persons, " + dropped + " dropped");
        Evaluator.Scores scores = new Evaluator.Scores();
        TaskScores.keypoints(DATA.examples(), someDropped, DATA.categoryIds().get(1), Evaluator.Prompts.GROUND_TRUTH,
                scores);
        assertEquals((persons - dropped) / (double) persons, scores.figures.get("keypoints.gt_box_mean_oks"), 1e-12);
        assertTrue(scores.figures.containsKey("keypoints.gt_box_ap50") && !scores.figures.containsKey("keypoints.ap"),
                scores.figures.toString());
        assertTrue(scores.report.toString().contains("on the ground-truth boxes"), scores.report.toString());
    }

    @Test
    void groundTruthPromptedPredictionsMustHaveOneObjectPerBox() {
        List<ImagePredictions> predictions = new ArrayList<>(predictions(b -> b, false));
        Analysis a = predictions.get(0).analysis();
        predictions.set(0, new ImagePredictions(predictions.get(0).imageId(), new Analysis(a.imageWidth(), a.imageHeight(),
                a.tasks(), List.of(), a.caption(), Analysis.NOT_RUN, Analysis.NOT_RUN)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TaskScores.keypoints(
                DATA.examples(), predictions, DATA.categoryIds().get(1), Evaluator.Prompts.GROUND_TRUTH,
                new Evaluator.Scores()));
        assertTrue(e.getMessage().contains("ground-truth boxes"), e.getMessage());
    }
}
