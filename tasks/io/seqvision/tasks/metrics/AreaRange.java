package io.seqvision.tasks.metrics;

/**
 * COCO's object-size buckets in square pixels. Both bounds are inclusive, as in COCOeval, so an
 * object of area exactly 32² belongs to both SMALL and MEDIUM.
 */
enum AreaRange {
    ALL("all", 0, 1e10),
    SMALL("small", 0, 32 * 32),
    MEDIUM("medium", 32 * 32, 96 * 96),
    LARGE("large", 96 * 96, 1e10);

    final String label;
    private final double min;
    private final double max;

    AreaRange(String label, double min, double max) {
        this.label = label;
        this.min = min;
        this.max = max;
    }

    boolean contains(double area) {
        return area >= min && area <= max;
    }
}
