package io.seqvision.decoder.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Chooses the next token of every sequence in a batch from its logits.
 *
 * <p>The logits arrive already masked: tokens a {@link TokenConstraint} forbids hold negative
 * infinity, and at least one token of each row is finite. The {@link Generator} passes one row per
 * sequence of the batch; the row of a sequence that has already ended allows only the end token,
 * and what is chosen for it is ignored.
 *
 * <p>Implementations may keep state (a random generator), so one instance should serve one
 * generation call at a time; {@link SamplingStrategy#create} makes a fresh one per call.
 */
public interface Sampler {

    /**
     * Chooses one token per row.
     *
     * @param logits {@code (B, V)} float logits for the next position
     * @return {@code B} token ids in {@code [0, V)}
     */
    default int[] sample(NDArray logits) {
        Shape shape = logits.getShape();
        if (shape.dimension() != 2) {
            throw new IllegalArgumentException("logits must have shape (B, V), got " + shape);
        }
        return sample(logits.toType(DataType.FLOAT32, false).toFloatArray(), (int) shape.get(0), (int) shape.get(1));
    }

    /**
     * Chooses one token per row of logits already on the host; the same choices, in the same order
     * of calls to {@link #sampleRow}, as {@link #sample(NDArray)}. The {@link Generator} calls this
     * one unless the sampler overrides {@link #sample(NDArray)}, which saves it an upload and a read
     * of the logits per step.
     *
     * @param logits {@code (B, V)} row-major; must not be modified
     * @return {@code B} token ids in {@code [0, V)}
     */
    default int[] sample(float[] logits, int batch, int vocab) {
        int[] chosen = new int[batch];
        float[] row = new float[vocab];
        for (int b = 0; b < batch; b++) {
            System.arraycopy(logits, b * vocab, row, 0, vocab);
            chosen[b] = sampleRow(row);
        }
        return chosen;
    }

    /**
     * Chooses one token from one row of logits; the row must not be modified.
     *
     * @param logits {@code V} logits, disallowed tokens at negative infinity
     * @return a token id in {@code [0, V)}
     */
    int sampleRow(float[] logits);
}
