package io.seqvision.tasks.data;

/**
 * Settings of {@link MultiTaskAugmentation}: scale jitter with a random crop (Pix2Seq's "large scale
 * jittering") and horizontal flip.
 *
 * @param minScale smallest resize factor relative to the model's image side, in (0, {@value #MAX_SCALE}]
 * @param maxScale largest resize factor, from {@code minScale} to {@value #MAX_SCALE}
 * @param flip     mirror left to right with probability 1/2
 */
public record AugmentationOptions(double minScale, double maxScale, boolean flip) {

    /** Largest accepted scale: beyond it a crop shows a few source pixels blown up. */
    public static final double MAX_SCALE = 8;

    /** Validates the settings; messages name the option and the value. */
    public AugmentationOptions {
        if (!(minScale > 0) || minScale > MAX_SCALE) {
            throw new IllegalArgumentException("minScale must be in (0, " + MAX_SCALE + "], got " + minScale);
        }
        if (!(maxScale >= minScale) || maxScale > MAX_SCALE) {
            throw new IllegalArgumentException(
                    "maxScale must be in [minScale (" + minScale + "), " + MAX_SCALE + "], got " + maxScale);
        }
    }

    /** No scale jitter, no flip: the image as {@link ImageInput#normalizeInto} writes it. */
    public static AugmentationOptions none() {
        return new AugmentationOptions(1, 1, false);
    }

    /** Flip only. */
    public static AugmentationOptions flipOnly() {
        return new AugmentationOptions(1, 1, true);
    }

    /** Pix2Seq's COCO setting: scales 0.3 to 2 and flip. */
    public static AugmentationOptions largeScaleJitter() {
        return new AugmentationOptions(0.3, 2, true);
    }
}
