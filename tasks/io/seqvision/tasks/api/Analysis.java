package io.seqvision.tasks.api;

import io.seqvision.decoder.generate.GeneratedSequence;
import io.seqvision.tasks.TaskKind;
import java.util.List;
import java.util.Set;

/**
 * Everything the model said about one image for the tasks asked, in pixels of that image: the one
 * result type of every task, from {@link MultiTaskPredictor} to the library API, the DJL blocks,
 * the evaluator, the CLI, Spark and the web.
 *
 * @param imageWidth        the width of the image the results are in, in pixels ({@link ImageFrame})
 * @param imageHeight       its height
 * @param tasks             the tasks that ran
 * @param objects           detected (or given) objects with masks and keypoints where those tasks ran
 * @param caption           the caption, or null when captioning did not run
 * @param detectionSequence the detection response (prompt excluded; empty when detection did not run)
 * @param captionSequence   the caption response (empty when captioning did not run)
 */
public record Analysis(int imageWidth, int imageHeight, Set<TaskKind> tasks, List<AnalyzedObject> objects,
        String caption, GeneratedSequence detectionSequence, GeneratedSequence captionSequence) {

    /** The sequence of a task that did not run. */
    public static final GeneratedSequence NOT_RUN = new GeneratedSequence(new int[0], new float[0], false);

    public Analysis {
        tasks = Set.copyOf(tasks);
        objects = List.copyOf(objects);
    }
}
