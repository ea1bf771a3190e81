package io.seqvision.tasks.api.djl;

import ai.djl.modality.cv.output.BoundingBox;
import ai.djl.modality.cv.output.DetectedObjects;
import ai.djl.modality.cv.output.Rectangle;
import io.seqvision.tasks.TaskKind;
import java.util.ArrayList;
import java.util.List;

/** DJL {@code Translator} from an image to {@link DetectedObjects}: class names, class-token probabilities, boxes. */
public final class DetectionTranslator extends SeqVisionTranslator<DetectedObjects> {

    public DetectionTranslator() {
        super(TaskKind.DETECTION);
    }

    @Override
    DetectedObjects read(SeqVisionBlock block, List<double[]> objects, List<double[]> vertices,
            List<double[]> keypoints, String caption) {
        List<String> names = new ArrayList<>(objects.size());
        List<Double> scores = new ArrayList<>(objects.size());
        List<BoundingBox> boxes = new ArrayList<>(objects.size());
        for (double[] o : objects) {
            names.add(block.classNames().get((int) o[4]));
            scores.add(o[5]);
            boxes.add(new Rectangle(o[1], o[0], o[3] - o[1], o[2] - o[0]));
        }
        return new DetectedObjects(names, scores, boxes);
    }
}
