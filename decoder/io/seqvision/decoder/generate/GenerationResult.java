package io.seqvision.decoder.generate;

import java.util.List;

/**
 * The output of {@link Generator#generate}: one {@link GeneratedSequence} per prompt, in prompt
 * order.
 */
public record GenerationResult(List<GeneratedSequence> sequences) {

    public GenerationResult {
        sequences = List.copyOf(sequences);
    }

    public GeneratedSequence sequence(int index) {
        return sequences.get(index);
    }

    /** The generated token ids of sequence {@code index} (a copy). */
    public int[] tokens(int index) {
        return sequences.get(index).tokens();
    }

    /** The per-token probabilities of sequence {@code index} (a copy). */
    public float[] probabilities(int index) {
        return sequences.get(index).probabilities();
    }

    /** Whether sequence {@code index} ended with the end token. */
    public boolean ended(int index) {
        return sequences.get(index).ended();
    }

    public int size() {
        return sequences.size();
    }
}
