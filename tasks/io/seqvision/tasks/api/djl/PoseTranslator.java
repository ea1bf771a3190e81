package io.seqvision.tasks.api.djl;

import ai.djl.modality.cv.output.Joints;
import io.seqvision.tasks.TaskKind;
import java.util.ArrayList;
import java.util.List;

/**
 * DJL {@code Translator} from an image to one {@link Joints} per detected person: the 17 COCO
 * keypoints in order, each at normalised (x, y) with the person's detection score as confidence,
 * or at (0, 0) with confidence 0 where the model says the point is not visible.
 */
public final class PoseTranslator extends SeqVisionTranslator<List<Joints>> {

    public PoseTranslator() {
        super(TaskKind.KEYPOINTS);
    }

    @Override
    List<Joints> read(SeqVisionBlock block, List<double[]> objects, List<double[]> vertices,
            List<double[]> keypoints, String caption) {
        List<Joints> people = new ArrayList<>();
        for (int j = 0; j < objects.size(); j++) {
            List<Joints.Joint> joints = new ArrayList<>();
            for (double[] k : keypoints) {
                if ((int) k[0] == j) {
                    boolean labelled = k[4] > 0;
                    joints.add(new Joints.Joint(labelled ? k[2] : 0, labelled ? k[3] : 0,
                            labelled ? objects.get(j)[5] : 0));
                }
            }
            if (!joints.isEmpty()) {
                people.add(new Joints(joints));
            }
        }
        return people;
    }
}
