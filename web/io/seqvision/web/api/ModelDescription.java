package io.seqvision.web.api;

import java.util.List;

/**
 * The loaded model, as {@code GET /api/model} describes it.
 *
 * @param name the run's name
 * @param encoder the encoder's registry name
 * @param imageSize the square side images are resized to
 * @param classes class names, indexed by {@link PredictedObject#classIndex()}
 * @param tasks the tasks this model can run (the page offers only these)
 * @param decoding the decoding used when a request names none
 * @param trainingStep the training step the model was saved at
 */
public record ModelDescription(
        String name, String encoder, int imageSize, List<String> classes, List<String> tasks,
        DecodingView decoding, long trainingStep) {

    public ModelDescription {
        classes = List.copyOf(classes);
        tasks = List.copyOf(tasks);
    }
}
