package io.seqvision.tasks.data;

import java.util.Random;

/**
 * The geometry of one augmentation of a {@code side x side} image: resize by {@code scale} to a
 * {@code scale * side} canvas, take the {@code side x side} window whose top-left corner is at
 * {@code (offsetX, offsetY)} canvas pixels (negative where the canvas is smaller than the window,
 * which then pads), then mirror left to right if {@code flip}.
 *
 * <p>A normalised coordinate {@code u} maps to {@code u * scale - offset / side}, then {@code 1 -
 * that} for x when flipped; output pixel {@code j} (centre {@code j + 0.5}) shows source position
 * {@code (j + 0.5 + offset) / scale} in source pixels (after undoing the flip).
 *
 * @param offsetX canvas pixels, between {@code min(0, (scale - 1) * side)} and {@code max(0, (scale - 1) * side)}
 * @param offsetY likewise
 */
public record ImageTransform(double scale, double offsetX, double offsetY, boolean flip) {

    public ImageTransform {
        if (!(scale > 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("scale must be positive and finite, got " + scale);
        }
        if (!Double.isFinite(offsetX) || !Double.isFinite(offsetY)) {
            throw new IllegalArgumentException("offsets must be finite, got " + offsetX + ", " + offsetY);
        }
    }

    /** The identity, optionally flipped. */
    public static ImageTransform identity(boolean flip) {
        return new ImageTransform(1, 0, 0, flip);
    }

    /**
     * Draws a transform: exactly three {@code nextDouble()} (scale, offset x, offset y) then one
     * {@code nextBoolean()} (flip, ignored unless the options allow it), whatever the options, so a
     * caller's later draws do not depend on them.
     */
    public static ImageTransform sample(AugmentationOptions options, int side, Random random) {
        double scale = options.minScale() + (options.maxScale() - options.minScale()) * random.nextDouble();
        double slack = (scale - 1) * side;
        double low = Math.min(0, slack);
        double high = Math.max(0, slack);
        double offsetX = low + (high - low) * random.nextDouble();
        double offsetY = low + (high - low) * random.nextDouble();
        boolean flip = random.nextBoolean() && options.flip();
        return new ImageTransform(scale, offsetX, offsetY, flip);
    }

    /** Normalised x after resize and crop, before the flip; may leave [0, 1]. */
    double cropX(double u, int side) {
        return u * scale - offsetX / side;
    }

    /** Normalised y after resize and crop; may leave [0, 1]. */
    double cropY(double v, int side) {
        return v * scale - offsetY / side;
    }

    /** Source position (source pixels, continuous) shown at the centre of output column {@code j}. */
    double sourceX(int j, int side) {
        int unflipped = flip ? side - 1 - j : j;
        return (unflipped + 0.5 + offsetX) / scale;
    }

    /** Source position (source pixels, continuous) shown at the centre of output row {@code i}. */
    double sourceY(int i) {
        return (i + 0.5 + offsetY) / scale;
    }
}
