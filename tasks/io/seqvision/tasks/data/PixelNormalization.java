package io.seqvision.tasks.data;

import java.util.List;

/**
 * The per-channel normalisation of input pixels, {@code (value / 255 - mean[c]) / std[c]}: what an
 * encoder's pretrained weights expect. Saved with the model (config {@code model.pixel_mean},
 * {@code model.pixel_std}) and applied by the model's {@link ImageInput} ({@code
 * ModelBundle.imageInput}), so training and inference normalise alike.
 */
public record PixelNormalization(float[] mean, float[] std) {

    /** ImageNet's statistics, which every supported official checkpoint was trained with. */
    public static final PixelNormalization IMAGENET =
            new PixelNormalization(ImageInput.IMAGENET_MEAN, ImageInput.IMAGENET_STD);

    public PixelNormalization {
        if (mean.length != 3 || std.length != 3) {
            throw new IllegalArgumentException("pixel mean and std need 3 values (RGB), got "
                    + mean.length + " and " + std.length);
        }
        for (float s : std) {
            if (!(s > 0)) {
                throw new IllegalArgumentException("pixel std values must be positive, got " + s);
            }
        }
        mean = mean.clone();
        std = std.clone();
    }

    /** The normalisation a model config names ({@code model.pixel_mean}, {@code model.pixel_std}). */
    public static PixelNormalization of(io.seqvision.tasks.config.ModelConfig model) {
        return of(model.pixelMean(), model.pixelStd());
    }

    public static PixelNormalization of(List<Double> mean, List<Double> std) {
        return new PixelNormalization(floats(mean), floats(std));
    }

    private static float[] floats(List<Double> values) {
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i).floatValue();
        }
        return out;
    }

    @Override
    public float[] mean() {
        return mean.clone();
    }

    @Override
    public float[] std() {
        return std.clone();
    }
}
