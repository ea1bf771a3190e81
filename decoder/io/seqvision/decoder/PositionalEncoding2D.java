package io.seqvision.decoder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Fixed sine-cosine position encoding of an {@code h x w} grid into {@code D} channels, the
 * normalised variant DETR and Pix2Seq use for image features.
 *
 * <p>Cell {@code (i, j)} (row i, column j) is row {@code i * w + j} of the result. The first
 * {@code D/2} channels encode the row, the last {@code D/2} the column. With {@code F = D/2},
 * coordinates normalised to {@code (0, 2 pi]}
 *
 * <pre>
 *   y = (i + 1) / h * 2 pi,   x = (j + 1) / w * 2 pi,
 *   omega_k = 10000^(-2 floor(k/2) / F)                 for k in [0, F)
 *   channel k      = sin(y omega_k) if k even, cos(y omega_k) if k odd
 *   channel F + k  = sin(x omega_k) if k even, cos(x omega_k) if k odd
 * </pre>
 *
 * Normalising the coordinates makes the encoding independent of the feature map's resolution.
 */
public final class PositionalEncoding2D {

    /** The frequency base of the sinusoids. */
    public static final double TEMPERATURE = 10000.0;

    private PositionalEncoding2D() {}

    /**
     * The encoding as a row-major {@code (h * w, D)} float array.
     *
     * @throws IllegalArgumentException if h or w is not positive, or D is not a positive multiple
     *     of 4
     */
    public static float[] encode(int height, int width, int channels) {
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException(
                    "grid must have positive height and width, got " + height + "x" + width);
        }
        if (channels <= 0 || channels % 4 != 0) {
            throw new IllegalArgumentException(
                    "2-D position encoding channels must be a positive multiple of 4, got " + channels);
        }
        int half = channels / 2;
        double[] frequencies = new double[half];
        for (int k = 0; k < half; k++) {
            frequencies[k] = Math.pow(TEMPERATURE, -2.0 * (k / 2) / half);
        }
        float[] result = new float[height * width * channels];
        for (int i = 0; i < height; i++) {
            double y = (i + 1) * 2 * Math.PI / height;
            for (int j = 0; j < width; j++) {
                double x = (j + 1) * 2 * Math.PI / width;
                int row = (i * width + j) * channels;
                for (int k = 0; k < half; k++) {
                    boolean sine = k % 2 == 0;
                    double yAngle = y * frequencies[k];
                    double xAngle = x * frequencies[k];
                    result[row + k] = (float) (sine ? Math.sin(yAngle) : Math.cos(yAngle));
                    result[row + half + k] = (float) (sine ? Math.sin(xAngle) : Math.cos(xAngle));
                }
            }
        }
        return result;
    }

    /** The encoding as an {@code (h * w, D)} float32 array owned by {@code manager}. */
    public static NDArray create(NDManager manager, int height, int width, int channels) {
        return manager.create(
                encode(height, width, channels), new Shape((long) height * width, channels));
    }
}
