package io.seqvision.tasks.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import io.seqvision.encoder.engine.Scalars;

/** Next-token cross-entropy with per-token weights, Pix2Seq's one loss for every task. */
public final class SequenceLoss {

    private SequenceLoss() {}

    /**
     * @param logits  (B, L, V)
     * @param targets (B, L) int64 token ids
     * @param weights (B, L) float loss weights
     * @return a scalar: {@code -sum(w * log p(target)) / sum(w)}
     */
    public static NDArray weightedCrossEntropy(NDArray logits, NDArray targets, NDArray weights) {
        NDArray logProbabilities = logits.logSoftmax(-1);
        NDArray picked = logProbabilities.gather(targets.expandDims(-1), -1).squeeze(-1);
        return picked.mul(weights).sum().neg().div(Scalars.maximum(weights.sum(), 1e-6f));
    }

    /**
     * Cross-entropy with soft coordinate targets (see {@link CoordinateTargets}): {@code
     * -(sum(h * log p(target)) + sum(s * sum_k q_k log p(coord_k))) / sum(h + s)}.
     *
     * @param hardWeights (B, L) weights of the hard term
     * @param softWeights (B, L) weights of the soft term
     * @param soft        (B, L, bins) target distributions over the coordinate tokens
     * @param start       the first coordinate token
     */
    public static NDArray weightedCrossEntropy(NDArray logits, NDArray targets, NDArray hardWeights,
            NDArray softWeights, NDArray soft, int start) {
        NDArray total = Scalars.maximum(hardWeights.sum().add(softWeights.sum()), 1e-6f);
        return summedCrossEntropy(logits, targets, hardWeights, softWeights, soft, start).div(total);
    }

    /**
     * The numerator of {@link #weightedCrossEntropy(NDArray, NDArray, NDArray, NDArray, NDArray,
     * int)}, {@code -(sum(h * log p(target)) + sum(s * sum_k q_k log p(coord_k)))}: summed over
     * the shards of a batch and divided by the whole batch's {@code sum(h + s)}, it gives the
     * batch's loss exactly.
     */
    public static NDArray summedCrossEntropy(NDArray logits, NDArray targets, NDArray hardWeights,
            NDArray softWeights, NDArray soft, int start) {
        NDArray logProbabilities = logits.logSoftmax(-1);
        NDArray hard = logProbabilities.gather(targets.expandDims(-1), -1).squeeze(-1).mul(hardWeights).sum();
        long bins = soft.getShape().get(2);
        NDArray coordinates = logProbabilities.get(new NDIndex(":, :, {}:{}", start, start + bins));
        NDArray softTerm = coordinates.mul(soft).sum(new int[] {2}).mul(softWeights).sum();
        return hard.add(softTerm).neg();
    }
}
