package io.seqvision.tasks.training;

import io.seqvision.tasks.TaskKind;

/**
 * One micro-batch ready for the network.
 *
 * @param pixels     (B, 3, side, side) normalised, augmented images
 * @param sequences  the teacher-forcing arrays of the task's sequences
 * @param cellLabels (B, grid * grid) objectness labels of the augmented boxes
 * @param keypointCells (B, 17, grid * grid) targets of the auxiliary keypoint loss ({@link
 *     KeypointCellTargets}) in a keypoint micro-batch, otherwise empty
 * @param labelledKeypoints how many keypoints {@code keypointCells} holds (its sum)
 */
record MicroBatch(TaskKind task, int images, float[] pixels, SequenceBatch sequences, long[] cellLabels,
        float[] keypointCells, int labelledKeypoints) {}
