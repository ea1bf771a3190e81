package io.seqvision.tasks.config;

/**
 * Held-out evaluation.
 *
 * @param batchSize  images decoded together
 * @param maxImages  evaluate on at most this many held-out images (0 = all)
 * @param every      evaluate during training every this many steps (0 = only the final model)
 * @param interimImages held-out images those evaluations during training use (0 = as many as
 *     {@code maxImages}); the final evaluation uses {@code maxImages}
 * @param bestMetric the figure that picks the best checkpoint ({@code model-best/}): "score" (the
 *     mean of box AP50, mask AP50, keypoint AP50 and BLEU-4 over the trained tasks) or one metric
 *     such as "detection.ap50", "segmentation.ap", "keypoints.ap50", "captioning.cider"
 * @param groundTruthPrompts when the model detects, also score segmentation and keypoints prompted by
 *     the ground-truth boxes (figures {@code segmentation.gt_box_ap}, {@code keypoints.gt_box_ap50},
 *     ...): the top-down protocol, which measures those tasks apart from the detector that prompts them
 */
public record EvalConfig(int batchSize, int maxImages, int every, int interimImages, String bestMetric,
        boolean groundTruthPrompts) {

    /** The evaluation that runs during training. */
    public EvalConfig interim() {
        return interimImages > 0 ? withMaxImages(maxImages > 0 ? Math.min(maxImages, interimImages) : interimImages)
                : this;
    }

    /** The same evaluation on at most {@code limit} images. */
    public EvalConfig withMaxImages(int limit) {
        return new EvalConfig(batchSize, limit, every, interimImages, bestMetric, groundTruthPrompts);
    }
}
