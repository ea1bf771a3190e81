package io.seqvision.tasks.training;

import java.util.Random;

/**
 * Which examples make up the batch of each step: epochs of a seeded shuffle, laid end to end.
 * A pure function of (seed, step), so a resumed run draws exactly the batches it would have.
 */
final class BatchOrder {

    private final int size;
    private final int batchSize;
    private final long seed;
    private long cachedEpoch = -1;
    private int[] cachedPermutation;

    BatchOrder(int size, int batchSize, long seed) {
        this.size = size;
        this.batchSize = batchSize;
        this.seed = seed;
    }

    int[] batch(long step) {
        int[] indices = new int[batchSize];
        for (int i = 0; i < batchSize; i++) {
            long position = step * batchSize + i;
            indices[i] = permutation(position / size)[(int) (position % size)];
        }
        return indices;
    }

    private int[] permutation(long epoch) {
        if (epoch != cachedEpoch) {
            int[] p = new int[size];
            for (int i = 0; i < size; i++) {
                p[i] = i;
            }
            Random random = new Random(seed * 31 + epoch);
            for (int i = size - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int tmp = p[i];
                p[i] = p[j];
                p[j] = tmp;
            }
            cachedPermutation = p;
            cachedEpoch = epoch;
        }
        return cachedPermutation;
    }
}
