package io.seqvision.tasks.eval;

import io.seqvision.tasks.inference.ImageOutput;

/** What the model produced for one held-out image. */
public record ImagePredictions(long imageId, ImageOutput output) {}
