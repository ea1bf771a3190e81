package io.seqvision.web.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.seqvision.decoder.generate.GeneratedSequence;
import io.seqvision.tasks.DecodingOptions;
import io.seqvision.tasks.TaskKind;
import io.seqvision.tasks.api.Analysis;
import io.seqvision.tasks.api.AnalyzedObject;
import io.seqvision.tasks.api.Detection;
import io.seqvision.tasks.api.PosePoint;
import io.seqvision.tokenizers.CocoKeypoints;
import io.seqvision.tokenizers.Vocabulary;
import io.seqvision.web.api.Box;
import io.seqvision.web.api.DecodingView;
import io.seqvision.web.api.Keypoint;
import io.seqvision.web.api.Point;
import io.seqvision.web.api.PredictedObject;
import io.seqvision.web.api.Prediction;
import io.seqvision.web.api.TokenSpan;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one mapping from the library's {@link Analysis} to the web's JSON records. */
class PredictionJsonTest {

    private static final Vocabulary VOCABULARY = new Vocabulary(2, 32, 10);
    private static final PredictionJson JSON = new PredictionJson("m",
            new TokenLabels(VOCABULARY, List.of("square", "person")), token -> "w" + token);

    private static AnalyzedObject person() {
        List<PosePoint> pose = new ArrayList<>();
        for (int k = 0; k < CocoKeypoints.COUNT; k++) {
            pose.add(new PosePoint(CocoKeypoints.NAMES.get(k), k == 3 ? 0 : 10 + k, k == 3 ? 0 : 20 + k, k != 3));
        }
        return new AnalyzedObject(new Detection("person", 1, 0.75, 5, 6, 50, 60),
                List.of(new double[] {5, 6, 50, 6, 50, 60}), pose, new int[] {0, 5}, new int[] {40, 41, 42},
                new int[] {43, 44});
    }

    @Test
    void objectsSequencesAndSpansFollowTheAnalysis() {
        int[] detection = {VOCABULARY.coordToken(0.1), VOCABULARY.coordToken(0.05), VOCABULARY.coordToken(0.6),
                VOCABULARY.coordToken(0.5), VOCABULARY.classToken(1)};
        Analysis analysis = new Analysis(100, 100,
                EnumSet.of(TaskKind.DETECTION, TaskKind.SEGMENTATION, TaskKind.KEYPOINTS, TaskKind.CAPTIONING),
                List.of(person()), "a person",
                new GeneratedSequence(detection, new float[] {1, 1, 1, 1, 0.75f}, true),
                new GeneratedSequence(new int[] {70, 71}, new float[] {0.5f, 0.5f}, true));
        Prediction p = JSON.prediction(analysis, List.of(WebTask.DETECTION, WebTask.SEGMENTATION,
                WebTask.KEYPOINTS, WebTask.CAPTIONING), DecodingView.of(DecodingOptions.greedy()), 12.5);

        assertEquals(4, p.sequences().size(), "detection, the mask's, the pose's and the caption's");
        assertEquals(7, p.sequences().get(0).tokens().size(), "prompt, five tokens, EOS");
        PredictedObject object = p.objects().get(0);
        assertEquals(new Box(5, 6, 50, 60), object.box());
        assertEquals("person", object.className());
        assertEquals(List.of(List.of(new Point(5, 6), new Point(50, 6), new Point(50, 60))), object.mask());
        assertEquals(new Keypoint(10, 20, 2), object.keypoints().get(0));
        assertEquals(new Keypoint(0, 0, 0), object.keypoints().get(3));
        assertEquals(List.of(new TokenSpan(0, 1, 6), new TokenSpan(1, 1, 5), new TokenSpan(2, 1, 4)),
                object.tokenSpans());
        assertEquals("a person", p.caption().text());
        assertEquals(List.of(new TokenSpan(3, 1, 4)), p.caption().tokenSpans());
        assertEquals("w70", p.sequences().get(3).tokens().get(1).text());
        assertEquals(List.of("detection", "segmentation", "keypoints", "captioning"), p.tasks());
        assertEquals(12.5, p.elapsedMs());
    }

    @Test
    void aCaptionAloneHasNoObjectsAndOneSequence() {
        Analysis analysis = new Analysis(40, 30, EnumSet.of(TaskKind.CAPTIONING), List.of(), "nothing",
                Analysis.NOT_RUN, new GeneratedSequence(new int[] {70}, new float[] {1}, true));
        Prediction p = JSON.prediction(analysis, List.of(WebTask.CAPTIONING), DecodingView.of(DecodingOptions.greedy()),
                1);
        assertEquals(1, p.sequences().size());
        assertEquals(List.of(), p.objects());
        assertNull(p.keypointLayout());
        assertEquals(40, p.imageWidth());
    }
}
