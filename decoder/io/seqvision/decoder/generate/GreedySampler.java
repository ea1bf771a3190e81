package io.seqvision.decoder.generate;

/** Always chooses the most likely token (the lowest id among ties). Stateless. */
public final class GreedySampler implements Sampler {

    @Override
    public int sampleRow(float[] logits) {
        return SamplingMath.argMax(logits);
    }

    @Override
    public String toString() {
        return "GreedySampler";
    }
}
