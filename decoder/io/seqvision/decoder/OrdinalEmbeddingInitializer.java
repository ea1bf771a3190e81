package io.seqvision.decoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.Initializer;

/**
 * Initialises a token embedding {@code (V, D)} like every other weight, except a range of tokens
 * that stand for ordered values (coordinate bins): those rows start as a sine-cosine encoding of
 * their rank, so that neighbouring values start with similar embeddings. With the output
 * projection tied to the embedding, a hidden state that scores bin {@code b} highly also scores
 * its neighbours, and what is learned about one bin carries over to the next: localisation is
 * learned from far fewer examples than with independent random rows.
 *
 * <p>Row {@code start + r}, with {@code u = r / (count - 1)} and {@code F = D / 2} frequencies
 * {@code f_j = pi * (count / 2)^(j / (F - 1))}: channel {@code 2j = a sin(u f_j)}, channel
 * {@code 2j + 1 = a cos(u f_j)}, amplitude {@code a = AMPLITUDE}. The highest frequency resolves
 * about two bins; the lowest spans the whole range.
 */
final class OrdinalEmbeddingInitializer implements Initializer {

    static final float AMPLITUDE = 0.1f;

    private final Initializer base;
    private final int start;
    private final int count;

    OrdinalEmbeddingInitializer(Initializer base, int start, int count) {
        this.base = base;
        this.start = start;
        this.count = count;
    }

    @Override
    public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
        int vocab = (int) shape.get(0);
        int width = (int) shape.get(1);
        if (start < 0 || count < 2 || start + count > vocab || width % 2 != 0) {
            throw new IllegalArgumentException("ordinal tokens [" + start + ", " + (start + count)
                    + ") do not fit an embedding of shape " + shape + " (width must be even)");
        }
        float[] values;
        try (NDArray random = base.initialize(manager, shape, DataType.FLOAT32)) {
            values = random.toFloatArray();
        }
        float[] rows = encode(count, width);
        System.arraycopy(rows, 0, values, start * width, rows.length);
        return manager.create(values, shape).toType(dataType, false);
    }

    /** The encoding of {@code count} ranks into {@code width} channels, row-major. */
    static float[] encode(int count, int width) {
        int frequencies = width / 2;
        float[] result = new float[count * width];
        for (int r = 0; r < count; r++) {
            double u = r / (double) (count - 1);
            for (int j = 0; j < frequencies; j++) {
                double exponent = frequencies == 1 ? 0 : j / (double) (frequencies - 1);
                double f = Math.PI * Math.pow(count / 2.0, exponent);
                result[r * width + 2 * j] = (float) (AMPLITUDE * Math.sin(u * f));
                result[r * width + 2 * j + 1] = (float) (AMPLITUDE * Math.cos(u * f));
            }
        }
        return result;
    }
}
