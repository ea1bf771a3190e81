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
 * @param captionTokens   the caption response tokens
 */
public record Analysis(int imageWidth, int imageHeight, Set<TaskKind> tasks, List<AnalyzedObject> objects,
        String caption, int[] detectionTokens, int[] captionTokens) {

    public Analysis {
        tasks = Set.copyOf(tasks);
        objects = List.copyOf(objects);
    }
}
