package io.seqvision.tasks.training;

import io.seqvision.tokenizers.TokenSequence;
import io.seqvision.tokenizers.Vocabulary;
import java.util.List;

/**
 * Teacher-forcing arrays for a batch of sequences padded to one length {@code L}: the decoder reads
 * {@code inputs} (tokens 0..L-2) and is scored on {@code targets} (tokens 1..L-1) with {@code
 * weights}; padding weighs 0. Arrays are row-major (B, L-1).
 */
public record SequenceBatch(int batchSize, int length, long[] inputs, long[] targets, float[] weights) {

    public static SequenceBatch of(List<TokenSequence> sequences, int paddedLength) {
        int steps = paddedLength - 1;
        int b = sequences.size();
        long[] inputs = new long[b * steps];
        long[] targets = new long[b * steps];
        float[] weights = new float[b * steps];
        for (int i = 0; i < b; i++) {
            TokenSequence s = sequences.get(i);
            if (s.length() > paddedLength) {
                throw new IllegalArgumentException(
                        "sequence " + i + " has " + s.length() + " tokens, more than the padded length " + paddedLength);
            }
            for (int t = 0; t < steps; t++) {
                inputs[i * steps + t] = t < s.length() ? s.tokens()[t] : Vocabulary.PAD;
                boolean present = t + 1 < s.length();
                targets[i * steps + t] = present ? s.tokens()[t + 1] : Vocabulary.PAD;
                weights[i * steps + t] = present ? s.weights()[t + 1] : 0f;
            }
        }
        return new SequenceBatch(b, steps, inputs, targets, weights);
    }
}
