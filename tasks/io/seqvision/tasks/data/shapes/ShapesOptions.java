package io.seqvision.tasks.data.shapes;

/**
 * Settings of the synthetic shapes data set. The constructor rejects values the generator cannot honour.
 *
 * @param seed        seed of the whole data set; every image draws from its own generator derived from
 *                    (seed, split, index), so the output does not depend on generation order
 * @param trainImages number of images in the {@code train} split, {@code >= 0}
 * @param valImages   number of images in the {@code val} split, {@code >= 0}
 * @param minSize     smallest image width or height in pixels, {@value #MIN_IMAGE_SIDE} or more
 * @param maxSize     largest image width or height in pixels, at least {@code minSize}, at most
 *                    {@value #MAX_IMAGE_SIDE}
 * @param minObjects  fewest objects asked for per image, {@code >= 1}; an object that finds no free place after
 *                    bounded retries is dropped (and counted in the summary), so a crowded image may rarely hold
 *                    fewer; the first object always fits
 * @param maxObjects  most objects per image, between {@code minObjects} and {@value #MAX_OBJECTS}
 * @param objectScale factor on every object's size range (shapes 0.15 to 0.45 of the shorter image side, persons
 *                    0.30 to 0.60 tall, at 1), between {@value #MIN_OBJECT_SCALE} and {@value #MAX_OBJECT_SCALE}; no
 *                    object exceeds 0.95 of the side. Large objects need a large receptive field to be told apart
 *                    and outlined, which the encoder study's long-range config uses
 */
public record ShapesOptions(long seed, int trainImages, int valImages, int minSize, int maxSize, int minObjects,
        int maxObjects, double objectScale) {

    /** Smallest accepted image side: below it a person's 17 keypoints fall within a few pixels. */
    public static final int MIN_IMAGE_SIDE = 64;
    /** Largest accepted image side. */
    public static final int MAX_IMAGE_SIDE = 4096;
    /** Most objects per image: more would rarely fit without overlap at the smallest object size. */
    public static final int MAX_OBJECTS = 10;
    /** Smallest and largest accepted {@code objectScale}. */
    public static final double MIN_OBJECT_SCALE = 0.5;
    public static final double MAX_OBJECT_SCALE = 2.0;

    /** Settings with object scale 1. */
    public ShapesOptions(long seed, int trainImages, int valImages, int minSize, int maxSize, int minObjects,
            int maxObjects) {
        this(seed, trainImages, valImages, minSize, maxSize, minObjects, maxObjects, 1.0);
    }

    /** Validates the settings; messages name the option and the value. */
    public ShapesOptions {
        if (trainImages < 0) {
            throw new IllegalArgumentException("trainImages must be >= 0, got " + trainImages);
        }
        if (valImages < 0) {
            throw new IllegalArgumentException("valImages must be >= 0, got " + valImages);
        }
        if (minSize < MIN_IMAGE_SIDE) {
            throw new IllegalArgumentException("minSize must be >= " + MIN_IMAGE_SIDE + ", got " + minSize);
        }
        if (maxSize < minSize) {
            throw new IllegalArgumentException(
                    "maxSize must be >= minSize (" + minSize + "), got " + maxSize);
        }
        if (maxSize > MAX_IMAGE_SIDE) {
            throw new IllegalArgumentException("maxSize must be <= " + MAX_IMAGE_SIDE + ", got " + maxSize);
        }
        if (minObjects < 1) {
            throw new IllegalArgumentException("minObjects must be >= 1, got " + minObjects);
        }
        if (maxObjects < minObjects) {
            throw new IllegalArgumentException(
                    "maxObjects must be >= minObjects (" + minObjects + "), got " + maxObjects);
        }
        if (maxObjects > MAX_OBJECTS) {
            throw new IllegalArgumentException("maxObjects must be <= " + MAX_OBJECTS + ", got " + maxObjects);
        }
        if (!(objectScale >= MIN_OBJECT_SCALE && objectScale <= MAX_OBJECT_SCALE)) {
            throw new IllegalArgumentException("objectScale must be between " + MIN_OBJECT_SCALE + " and "
                    + MAX_OBJECT_SCALE + ", got " + objectScale);
        }
    }

    /**
     * The settings that shape the images, in words (sides, object count, object scale): written into the
     * annotation files when they differ from the defaults', so that data of another layout is found stale.
     */
    public String layout() {
        return String.format(java.util.Locale.ROOT, "sides %d-%d px, %d-%d objects, object scale %s", minSize,
                maxSize, minObjects, maxObjects, objectScale);
    }

    /** Seed 7, 2000 train and 200 val images, sides 128 to 256 px, 1 to 6 objects. */
    public static ShapesOptions defaults() {
        return new ShapesOptions(7, 2000, 200, 128, 256, 1, 6);
    }

    /** @return a copy with another seed */
    public ShapesOptions withSeed(long newSeed) {
        return new ShapesOptions(newSeed, trainImages, valImages, minSize, maxSize, minObjects, maxObjects,
                objectScale);
    }

    /** @return a copy with other split sizes */
    public ShapesOptions withImages(int train, int val) {
        return new ShapesOptions(seed, train, val, minSize, maxSize, minObjects, maxObjects, objectScale);
    }

    /** @return a copy with other image sides, object counts and object scale */
    public ShapesOptions withLayout(int newMinSize, int newMaxSize, int newMinObjects, int newMaxObjects,
            double newObjectScale) {
        return new ShapesOptions(seed, trainImages, valImages, newMinSize, newMaxSize, newMinObjects, newMaxObjects,
                newObjectScale);
    }
}
