package io.seqvision.tasks.training;

import io.seqvision.tasks.TaskKind;

/**
 * One micro-batch ready for the network.
 *
 * @param pixels     (B, 3, side, side) normalised, augmented images
 * @param sequences  the teacher-forcing arrays of the task's sequences
 * @param cellLabels (B, grid * grid) objectness labels of the augmented boxes
 */
record MicroBatch(TaskKind task, int images, float[] pixels, SequenceBatch sequences, long[] cellLabels) {}
