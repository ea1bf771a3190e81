package io.seqvision.tasks.training;

import io.seqvision.tokenizers.Keypoint;
import java.util.List;

/**
 * Targets of the auxiliary keypoint loss: for each of a person's keypoints, a distribution over
 * the encoder's {@code grid x grid} cells that puts the point's weight on the four cell centres
 * around it, bilinearly (so the distribution's mean over the centres is the point itself, up to
 * the outer half-cells where it is clamped to the nearest centre). Unlabelled points get no
 * weight at all, so they add nothing to the loss.
 *
 * <p>Why: the keypoint sequence reaches the encoder only through the decoder's cross-attention,
 * and a 2-layer decoder trained from scratch on a CPU budget learns slowly where each point is;
 * wrists and elbows (thin, far from the box's edges) were the worst keypoints by far. A dense
 * loss asking each memory cell how much of every keypoint it holds teaches the encoder features
 * that locate them, which the attention can then read. Like the objectness loss it is a training
 * aid only: its head is not part of the saved model.
 */
public final class KeypointCellTargets {

    private KeypointCellTargets() {}

    /**
     * Writes one person's targets, {@code keypoints.size() x grid * grid} row-major (keypoint,
     * then cell row, then cell column), into {@code out} at {@code offset}; {@code out} must be
     * zero there.
     *
     * @param keypoints the person's keypoints, normalised to the encoder's input (a labelled
     *     point lies in [0, 1])
     * @return the number of labelled keypoints (each contributes a distribution summing to 1)
     */
    public static int label(List<Keypoint> keypoints, int grid, float[] out, int offset) {
        int cells = grid * grid;
        int labelled = 0;
        for (int k = 0; k < keypoints.size(); k++) {
            Keypoint point = keypoints.get(k);
            if (!point.labelled()) {
                continue;
            }
            labelled++;
            int base = offset + k * cells;
            double column = clamp(point.x() * grid - 0.5, grid - 1);
            double row = clamp(point.y() * grid - 0.5, grid - 1);
            int left = Math.min((int) column, grid - 2 < 0 ? 0 : grid - 2);
            int top = Math.min((int) row, grid - 2 < 0 ? 0 : grid - 2);
            double fx = grid == 1 ? 0 : column - left;
            double fy = grid == 1 ? 0 : row - top;
            add(out, base, grid, top, left, (1 - fy) * (1 - fx));
            add(out, base, grid, top, left + 1, (1 - fy) * fx);
            add(out, base, grid, top + 1, left, fy * (1 - fx));
            add(out, base, grid, top + 1, left + 1, fy * fx);
        }
        return labelled;
    }

    private static void add(float[] out, int base, int grid, int row, int column, double weight) {
        if (weight > 0) {
            out[base + row * grid + column] += (float) weight;
        }
    }

    private static double clamp(double v, double high) {
        return Math.max(0, Math.min(high, v));
    }
}
