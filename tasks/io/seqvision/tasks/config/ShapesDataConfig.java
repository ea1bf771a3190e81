package io.seqvision.tasks.config;

/**
 * How to generate the synthetic shapes data when it is missing.
 *
 * @param minSize     smallest image side in pixels (images are {@code min_size} to {@code max_size} on each side)
 * @param maxSize     largest image side in pixels
 * @param minObjects  fewest objects per image
 * @param maxObjects  most objects per image
 * @param objectScale factor on every object's size range (1: shapes 0.15-0.45 of the shorter side, persons
 *                    0.30-0.60 tall)
 */
public record ShapesDataConfig(long seed, int trainImages, int valImages, int minSize, int maxSize, int minObjects,
        int maxObjects, double objectScale) {

    /** The default layout: sides 128-256 px, 1-6 objects, object scale 1. */
    public ShapesDataConfig(long seed, int trainImages, int valImages) {
        this(seed, trainImages, valImages, 128, 256, 1, 6, 1.0);
    }
}
