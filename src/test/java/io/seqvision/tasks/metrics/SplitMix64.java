package io.seqvision.tasks.metrics;

/**
 * splitmix64 with integer-only draws, so that a Python generator fed the same seed (see
 * src/test/python/coco_reference.py) reproduces a data set exactly.
 */
final class SplitMix64 {

    private long state;

    SplitMix64(long seed) {
        this.state = seed;
    }

    long next() {
        state += 0x9E3779B97F4A7C15L;
        long z = state;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in {@code [0, bound)} (up to the modulo bias, which both languages share). */
    int below(int bound) {
        return (int) Long.remainderUnsigned(next(), bound);
    }
}
