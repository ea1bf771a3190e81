package io.seqvision.web.api;

import java.util.List;

/**
 * What {@code POST /api/predict} answers: the objects (boxes, and masks and keypoints when asked
 * for), the caption, and every token sequence the model produced, each piece of the result
 * pointing at the tokens that produced it.
 *
 * @param model the loaded model's name
 * @param imageWidth width of the uploaded image in pixels; every coordinate is in its pixels
 * @param imageHeight its height
 * @param tasks the tasks run, in the order run
 * @param objects the objects in the order the model listed them
 * @param caption the caption; {@code null} when not asked for
 * @param keypointLayout names and skeleton of the keypoints; {@code null} when no object has any
 * @param sequences every decoded sequence, referred to by {@link TokenSpan#sequence()}
 * @param decoding the sampler used, as {@code sampler} with its parameters
 * @param elapsedMs time spent decoding, in milliseconds
 */
public record Prediction(
        String model, int imageWidth, int imageHeight, List<String> tasks, List<PredictedObject> objects,
        Caption caption, KeypointLayout keypointLayout, List<TokenSequence> sequences, DecodingView decoding,
        double elapsedMs) {

    public Prediction {
        tasks = List.copyOf(tasks);
        objects = List.copyOf(objects);
        sequences = List.copyOf(sequences);
        for (PredictedObject object : objects) {
            for (TokenSpan span : object.tokenSpans()) {
                checkSpan(span, sequences, "object " + object.index());
            }
        }
        if (caption != null) {
            for (TokenSpan span : caption.tokenSpans()) {
                checkSpan(span, sequences, "caption");
            }
        }
    }

    private static void checkSpan(TokenSpan span, List<TokenSequence> sequences, String owner) {
        if (span.sequence() >= sequences.size() || span.end() > sequences.get(span.sequence()).tokens().size()) {
            throw new IllegalArgumentException(owner + "'s token span " + span + " lies outside the "
                    + sequences.size() + " sequences");
        }
    }
}
