package io.seqvision.web.service;

import io.seqvision.tasks.DecodingOptions;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Objects;

/**
 * What to predict.
 *
 * @param image the decoded upload
 * @param tasks the tasks to run, at least one, each supported by the service
 * @param decoding how to decode; {@code null} for the model's own default
 */
public record PredictionRequest(BufferedImage image, List<WebTask> tasks, DecodingOptions decoding) {

    public PredictionRequest {
        Objects.requireNonNull(image, "image");
        tasks = List.copyOf(tasks);
        if (tasks.isEmpty()) {
            throw new IllegalArgumentException("at least one task");
        }
    }
}
