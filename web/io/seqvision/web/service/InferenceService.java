package io.seqvision.web.service;

import io.seqvision.web.api.ModelDescription;
import io.seqvision.web.api.Prediction;
import io.seqvision.web.api.SharedDecoding;

/**
 * The model behind the web layer. Implementations are safe for concurrent calls; the web layer
 * bounds how many run at once ({@link InferenceQueue}).
 */
public interface InferenceService {

    /** The model, including the tasks it supports. */
    ModelDescription describe();

    /**
     * Runs the request's tasks on its image.
     *
     * @param deadline checked while decoding; past it the call ends with {@link
     *     TimeLimitExceededException}
     * @throws IllegalArgumentException if a task is not among {@link #describe()}'s tasks
     */
    Prediction predict(PredictionRequest request, Deadline deadline);

    /** What the decoding steps shared by concurrent requests have done, or null when each request decodes alone. */
    default SharedDecoding sharedDecoding() {
        return null;
    }
}
