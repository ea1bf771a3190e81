package io.seqvision.tasks.api;

import io.seqvision.tasks.TaskKind;
import java.util.List;
import java.util.Set;

/**
 * Everything the model said about one image for the tasks asked.
 *
 * @param tasks           the tasks that ran
 * @param objects         detected objects with masks and keypoints where those tasks ran
 * @param caption         the caption, or null when captioning did not run
 * @param detectionTokens the detection response tokens (prompt excluded)
 * @param detectionProbabilities the probability of each detection token when it was chosen
 * @param detectionEnded  whether the detection response ended with EOS
 * @param captionTokens   the caption response tokens
 */
public record Analysis(int imageWidth, int imageHeight, Set<TaskKind> tasks, List<AnalyzedObject> objects,
        String caption, int[] detectionTokens, float[] detectionProbabilities, boolean detectionEnded,
        int[] captionTokens) {

    public Analysis {
        tasks = Set.copyOf(tasks);
        objects = List.copyOf(objects);
    }
}
