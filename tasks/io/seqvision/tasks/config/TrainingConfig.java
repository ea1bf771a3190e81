package io.seqvision.tasks.config;

/**
 * The optimisation schedule: AdamW with linear warmup then cosine decay to {@code
 * minLearningRate}, gradient clipping by global norm.
 *
 * @param objectOrder "random" (shuffled every time, Pix2Seq's choice) or "raster" (sorted by
 *     top edge, then left edge)
 * @param coordLabelSigma width in bins of the Gaussian soft targets for coordinate tokens (0 for
 *     plain one-hot targets); see {@code CoordinateTargets}
 * @param auxiliaryLossWeight weight of the auxiliary objectness loss on the encoder's features, a
 *     from-scratch training aid (0 disables it); see {@code ObjectnessTargets}
 * @param gradientAccumulation micro-batches of {@code batchSize} images whose gradients add up to
 *     one optimizer step (each draws its own task)
 * @param scaleJitterMin smallest image scale of the scale-jitter-and-crop augmentation (1 with
 *     {@code scaleJitterMax} 1 turns it off)
 * @param scaleJitterMax largest image scale of that augmentation
 * @param precision "fp32" or "fp16" (float16 compute with float32 master weights and dynamic loss
 *     scaling; meant for the GPU, slow on the CPU); "bf16" is refused (DJL 0.35.1's PyTorch JNI has
 *     no bfloat16)
 * @param devices how many devices train data-parallel, each on its share of every micro-batch: 0
 *     uses every local GPU (the CPU when there is none), n the first n GPUs
 * @param promptBoxJitter how far each edge of a segmentation or keypoint training prompt box moves
 *     at most, as a fraction of the box's side (0 keeps the exact box), so that the model does not
 *     copy a detected box's errors into the mask and the pose
 * @param auxiliaryKeypointLossWeight weight of the auxiliary keypoint loss on the encoder's
 *     features in keypoint micro-batches, a from-scratch training aid (0 disables it); see {@code
 *     KeypointCellTargets}
 */
public record TrainingConfig(
        int batchSize,
        int steps,
        double learningRate,
        double minLearningRate,
        double weightDecay,
        int warmupSteps,
        double clipNorm,
        int checkpointEvery,
        int logEvery,
        boolean horizontalFlip,
        String objectOrder,
        double coordLabelSigma,
        double auxiliaryLossWeight,
        int gradientAccumulation,
        double scaleJitterMin,
        double scaleJitterMax,
        String precision,
        int devices,
        double promptBoxJitter,
        double auxiliaryKeypointLossWeight) {}
