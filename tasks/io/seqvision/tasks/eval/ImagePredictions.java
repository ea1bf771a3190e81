package io.seqvision.tasks.eval;

import io.seqvision.tasks.api.Analysis;

/** What the model produced for one held-out image, in that image's pixels. */
public record ImagePredictions(long imageId, Analysis analysis) {}
