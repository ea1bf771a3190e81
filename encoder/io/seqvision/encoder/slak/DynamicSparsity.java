package io.seqvision.encoder.slak;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;

import io.seqvision.encoder.TrainingHook;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * SLaK's dynamic sparsity (official {@code sparse_core.py Masking} with {@code funcs.py}'s {@code
 * magnitude_prune} and {@code random_growth} / {@code gradient_growth}), as a {@link TrainingHook}.
 *
 * <p>Each masked weight keeps exactly {@code n - round(sparsity * n)} live entries at all times.
 * At creation the live entries are drawn uniformly at random and the dead ones zeroed. After every
 * optimizer step the mask is re-applied ({@code weight *= mask}, undoing the optimizer's updates
 * of dead entries). Every {@code updateInterval} steps, per weight, {@code ceil(rate * live)} live
 * entries of smallest magnitude are removed and as many dead entries (the just-removed included)
 * are regrown: uniformly at random, or those with the largest gradient magnitude. The rate decays
 * from {@code pruneRate} to {@code minPruneRate} by a cosine over {@code totalSteps}, as the
 * official {@code CosineDecay}. Regrown entries start at zero, as the dead entries were zeroed.
 *
 * <p>Differences from the official code: initial densities are uniform over layers (the official
 * SLaK-T draws per-layer densities by SNIP or ERK and keeps the same overall density); random
 * regrowth draws an exact count rather than a Bernoulli one, so the sparsity stays exact.
 *
 * <p>Masks live in a sub-manager of the first weight's manager; {@link #close} frees them.
 */
public final class DynamicSparsity implements TrainingHook, AutoCloseable {

    /** How dead entries are chosen to regrow. */
    public enum Growth {
        /** Uniformly at random among the dead entries (SLaK's setting). */
        RANDOM,
        /** Largest gradient magnitude first; needs {@link #beforeStep} on update steps. */
        GRADIENT
    }

    private static final int FORMAT_MAGIC = 0x534c614b; // "SLaK"
    private static final int FORMAT_VERSION = 1;

    private final Options options;
    private final List<String> names;
    private final List<Parameter> weights;
    private final List<BitSet> live = new ArrayList<>();
    private final List<NDArray> maskArrays = new ArrayList<>();
    private final NDManager manager;
    private final Map<String, float[]> gradients = new LinkedHashMap<>();
    private long lastRemoved;

    private DynamicSparsity(Map<String, Parameter> masked, Options options) {
        this.options = options;
        this.names = List.copyOf(masked.keySet());
        this.weights = List.copyOf(masked.values());
        this.manager = weights.get(0).getArray().getManager().newSubManager();
        Random random = new Random(options.seed);
        for (int i = 0; i < weights.size(); i++) {
            int n = size(i);
            BitSet mask = new BitSet(n);
            mask.set(0, n);
            int[] order = shuffled(n, random);
            for (int j = 0; j < deadCount(n); j++) {
                mask.clear(order[j]);
            }
            live.add(mask);
            NDArray weight = weights.get(i).getArray();
            maskArrays.add(
                    manager.create(toFloats(mask, n), weight.getShape())
                            .toType(weight.getDataType(), false));
        }
        applyMasks();
    }

    /**
     * Masks the given weights (official name to initialised parameter) and zeroes their dead
     * entries.
     *
     * @throws IllegalArgumentException if there are no weights, one is not initialised, or one has
     *     more than {@code Integer.MAX_VALUE} entries
     */
    public static DynamicSparsity create(Map<String, Parameter> weights, Options options) {
        if (weights.isEmpty()) {
            throw new IllegalArgumentException("dynamic sparsity needs at least one weight");
        }
        for (Map.Entry<String, Parameter> entry : weights.entrySet()) {
            Parameter parameter = entry.getValue();
            if (!parameter.isInitialized()) {
                throw new IllegalArgumentException(
                        "weight '" + entry.getKey() + "' is not initialised; initialise the model"
                                + " first");
            }
            if (parameter.getArray().size() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(
                        "weight '" + entry.getKey() + "' is too large to mask");
            }
        }
        return new DynamicSparsity(weights, options);
    }

    public Options getOptions() {
        return options;
    }

    /** The masked weights' names, in order. */
    public List<String> names() {
        return names;
    }

    /** A copy of one weight's mask, {@code true} where the entry is live, in row-major order. */
    public boolean[] mask(String name) {
        int i = indexOf(name);
        boolean[] out = new boolean[size(i)];
        BitSet mask = live.get(i);
        for (int j = mask.nextSetBit(0); j >= 0; j = mask.nextSetBit(j + 1)) {
            out[j] = true;
        }
        return out;
    }

    /** Live entries of one weight. */
    public int liveCount(String name) {
        return live.get(indexOf(name)).cardinality();
    }

    /** Dead entries over all masked entries. */
    public double sparsity() {
        long total = 0;
        long dead = 0;
        for (int i = 0; i < weights.size(); i++) {
            total += size(i);
            dead += size(i) - live.get(i).cardinality();
        }
        return (double) dead / total;
    }

    /** Entries of all masked weights together. */
    public long maskedCount() {
        long total = 0;
        for (int i = 0; i < weights.size(); i++) {
            total += size(i);
        }
        return total;
    }

    /** Entries removed (and regrown) by the last mask update, over all weights. */
    public long lastRemoved() {
        return lastRemoved;
    }

    /** The fraction of live entries pruned at an update at {@code step}: the cosine decay. */
    public double pruneRate(long step) {
        double progress = Math.min(1.0, (double) Math.max(step, 0) / options.totalSteps);
        return options.minPruneRate
                + (options.pruneRate - options.minPruneRate) * (1 + Math.cos(Math.PI * progress)) / 2;
    }

    /** Whether the masks change after step {@code step}. */
    public boolean isUpdateStep(long step) {
        return step > 0 && step % options.updateInterval == 0;
    }

    /** With gradient growth, keeps the gradients of an update step for {@link #afterStep}. */
    @Override
    public void beforeStep(long step, Gradients source) {
        if (options.growth == Growth.GRADIENT && isUpdateStep(step)) {
            gradients.clear();
            for (int i = 0; i < weights.size(); i++) {
                try (NDArray gradient = source.of(weights.get(i))) {
                    gradients.put(names.get(i), gradient.toFloatArray());
                }
            }
        }
    }

    /** Re-applies the masks and, on update steps, prunes and regrows. */
    @Override
    public void afterStep(long step) {
        applyMasks();
        if (isUpdateStep(step)) {
            updateMasks(step);
        }
    }

    /** Multiplies every masked weight by its mask, in place. */
    public void applyMasks() {
        for (int i = 0; i < weights.size(); i++) {
            weights.get(i).getArray().muli(maskArrays.get(i));
        }
    }

    /**
     * Prunes and regrows every weight now with the rate of {@code step}, then applies the masks.
     *
     * @throws IllegalStateException with gradient growth, if {@link #beforeStep} did not keep the
     *     gradients of this step
     */
    public void updateMasks(long step) {
        if (options.growth == Growth.GRADIENT && gradients.size() != weights.size()) {
            throw new IllegalStateException(
                    "gradient regrowth at step "
                            + step
                            + " needs beforeStep("
                            + step
                            + ") to run while the gradients exist");
        }
        double rate = pruneRate(step);
        Random random = new Random(options.seed * 0x9E3779B97F4A7C15L + step);
        long removedTotal = 0;
        for (int i = 0; i < weights.size(); i++) {
            NDArray weight = weights.get(i).getArray();
            float[] values = weight.toFloatArray();
            BitSet mask = live.get(i);
            int liveBefore = mask.cardinality();
            int removed = (int) Math.min(liveBefore, Math.ceil(rate * liveBefore));
            for (int index : smallestLive(values, mask, removed)) {
                mask.clear(index);
            }
            for (int index : regrow(mask, size(i), removed, random, gradients.get(names.get(i)))) {
                mask.set(index);
            }
            removedTotal += removed;
            maskArrays.get(i).set(toFloats(mask, size(i)));
        }
        gradients.clear();
        lastRemoved = removedTotal;
        applyMasks();
    }

    /** The {@code count} live indices of smallest |value|, ties broken by index. */
    private static int[] smallestLive(float[] values, BitSet mask, int count) {
        long[] keys = new long[mask.cardinality()];
        int k = 0;
        for (int j = mask.nextSetBit(0); j >= 0; j = mask.nextSetBit(j + 1)) {
            keys[k++] = magnitudeKey(values[j], false) | j;
        }
        return firstIndices(keys, count);
    }

    /** {@code count} dead indices: random, or by largest |gradient| (ties by index). */
    private int[] regrow(BitSet mask, int n, int count, Random random, float[] gradient) {
        int[] dead = new int[n - mask.cardinality()];
        int k = 0;
        for (int j = mask.nextClearBit(0); j < n; j = mask.nextClearBit(j + 1)) {
            dead[k++] = j;
        }
        if (options.growth == Growth.RANDOM) {
            for (int j = 0; j < count; j++) {
                int pick = j + random.nextInt(dead.length - j);
                int swap = dead[j];
                dead[j] = dead[pick];
                dead[pick] = swap;
            }
            return Arrays.copyOf(dead, count);
        }
        long[] keys = new long[dead.length];
        for (int j = 0; j < dead.length; j++) {
            keys[j] = magnitudeKey(gradient[dead[j]], true) | dead[j];
        }
        return firstIndices(keys, count);
    }

    /**
     * The high 32 bits of a sort key ordering by |value| (ascending, or descending if asked); the
     * bits of a non-negative float order as the float does. The low 32 bits take the index.
     */
    private static long magnitudeKey(float value, boolean descending) {
        long bits = Float.floatToIntBits(Math.abs(value));
        return (descending ? Integer.MAX_VALUE - bits : bits) << 32;
    }

    private static int[] firstIndices(long[] keys, int count) {
        Arrays.sort(keys);
        int[] out = new int[count];
        for (int j = 0; j < count; j++) {
            out[j] = (int) keys[j];
        }
        return out;
    }

    /** Writes the masks: names, sizes and live bits. */
    @Override
    public void save(DataOutputStream out) throws IOException {
        out.writeInt(FORMAT_MAGIC);
        out.writeInt(FORMAT_VERSION);
        out.writeInt(weights.size());
        for (int i = 0; i < weights.size(); i++) {
            out.writeUTF(names.get(i));
            out.writeInt(size(i));
            long[] bits = live.get(i).toLongArray();
            out.writeInt(bits.length);
            for (long word : bits) {
                out.writeLong(word);
            }
        }
    }

    /**
     * Replaces the masks with saved ones and applies them.
     *
     * @throws IOException if the stream is not a mask file, or its weights, sizes or live counts
     *     differ from this hook's (all checked before anything changes)
     */
    @Override
    public void load(DataInputStream in) throws IOException {
        if (in.readInt() != FORMAT_MAGIC) {
            throw new IOException("not a SLaK dynamic-sparsity mask stream");
        }
        int version = in.readInt();
        if (version != FORMAT_VERSION) {
            throw new IOException("unsupported dynamic-sparsity mask version " + version);
        }
        int count = in.readInt();
        if (count != weights.size()) {
            throw new IOException(
                    "saved masks cover " + count + " weights but this model masks " + weights.size());
        }
        List<BitSet> loaded = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String name = in.readUTF();
            int n = in.readInt();
            if (!name.equals(names.get(i)) || n != size(i)) {
                throw new IOException(
                        "saved mask "
                                + i
                                + " is '"
                                + name
                                + "' with "
                                + n
                                + " entries but this model's is '"
                                + names.get(i)
                                + "' with "
                                + size(i));
            }
            long[] bits = new long[in.readInt()];
            for (int j = 0; j < bits.length; j++) {
                bits[j] = in.readLong();
            }
            BitSet mask = BitSet.valueOf(bits);
            int expectedLive = n - deadCount(n);
            if (mask.length() > n || mask.cardinality() != expectedLive) {
                throw new IOException(
                        "saved mask '"
                                + name
                                + "' has "
                                + mask.cardinality()
                                + " live entries but sparsity "
                                + options.sparsity
                                + " keeps "
                                + expectedLive);
            }
            loaded.add(mask);
        }
        for (int i = 0; i < count; i++) {
            live.set(i, loaded.get(i));
            maskArrays.get(i).set(toFloats(loaded.get(i), size(i)));
        }
        applyMasks();
    }

    @Override
    public void close() {
        manager.close();
    }

    private int deadCount(int n) {
        return (int) Math.round(options.sparsity * n);
    }

    private int size(int i) {
        return Math.toIntExact(weights.get(i).getArray().size());
    }

    private int indexOf(String name) {
        int i = names.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException(
                    "no masked weight '" + name + "'; masked: " + names);
        }
        return i;
    }

    private static float[] toFloats(BitSet mask, int n) {
        float[] out = new float[n];
        for (int j = mask.nextSetBit(0); j >= 0 && j < n; j = mask.nextSetBit(j + 1)) {
            out[j] = 1f;
        }
        return out;
    }

    private static int[] shuffled(int n, Random random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        return order;
    }

    /**
     * Dynamic-sparsity settings; build them with {@link #builder()}. Defaults as the official
     * SLaK-T run: sparsity 0.4, update every 2000 steps, prune rate 0.5 decaying to 0.005, random
     * regrowth, seed 0.
     */
    public static final class Options {
        private final double sparsity;
        private final long updateInterval;
        private final double pruneRate;
        private final double minPruneRate;
        private final long totalSteps;
        private final Growth growth;
        private final long seed;

        private Options(Builder builder) {
            sparsity = builder.sparsity;
            updateInterval = builder.updateInterval;
            pruneRate = builder.pruneRate;
            minPruneRate = builder.minPruneRate;
            totalSteps = builder.totalSteps;
            growth = builder.growth;
            seed = builder.seed;
        }

        public static Builder builder() {
            return new Builder();
        }

        public double getSparsity() {
            return sparsity;
        }

        public long getUpdateInterval() {
            return updateInterval;
        }

        public double getPruneRate() {
            return pruneRate;
        }

        public double getMinPruneRate() {
            return minPruneRate;
        }

        public long getTotalSteps() {
            return totalSteps;
        }

        public Growth getGrowth() {
            return growth;
        }

        public long getSeed() {
            return seed;
        }

        /** Builds {@link Options}. Required: {@link #setTotalSteps}. */
        public static final class Builder {
            private double sparsity = 0.4;
            private long updateInterval = 2000;
            private double pruneRate = 0.5;
            private double minPruneRate = 0.005;
            private long totalSteps;
            private Growth growth = Growth.RANDOM;
            private long seed;

            private Builder() {}

            /** Fraction of each masked weight held at zero, in {@code [0, 1)}. */
            public Builder optSparsity(double sparsity) {
                this.sparsity = sparsity;
                return this;
            }

            /** Steps between prune-and-regrow updates. */
            public Builder optUpdateInterval(long updateInterval) {
                this.updateInterval = updateInterval;
                return this;
            }

            /** The initial fraction of live entries replaced at an update. */
            public Builder optPruneRate(double pruneRate) {
                this.pruneRate = pruneRate;
                return this;
            }

            /** The fraction the cosine decay ends at. */
            public Builder optMinPruneRate(double minPruneRate) {
                this.minPruneRate = minPruneRate;
                return this;
            }

            /** Training length, over which the prune rate decays. */
            public Builder setTotalSteps(long totalSteps) {
                this.totalSteps = totalSteps;
                return this;
            }

            public Builder optGrowth(Growth growth) {
                this.growth = growth;
                return this;
            }

            /** Seed of the initial masks and of random regrowth (mixed with the step). */
            public Builder optSeed(long seed) {
                this.seed = seed;
                return this;
            }

            /**
             * @throws IllegalArgumentException naming the first invalid setting
             */
            public Options build() {
                if (!(sparsity >= 0 && sparsity < 1)) {
                    throw new IllegalArgumentException(
                            "dynamic sparsity level must be in [0, 1), got " + sparsity);
                }
                if (updateInterval <= 0 || totalSteps <= 0) {
                    throw new IllegalArgumentException(
                            "dynamic sparsity needs a positive update interval and total steps,"
                                    + " got "
                                    + updateInterval
                                    + " and "
                                    + totalSteps);
                }
                if (!(minPruneRate >= 0 && minPruneRate <= pruneRate && pruneRate <= 1)) {
                    throw new IllegalArgumentException(
                            "dynamic sparsity prune rates need 0 <= min <= initial <= 1, got min "
                                    + minPruneRate
                                    + " and initial "
                                    + pruneRate);
                }
                if (growth == null) {
                    throw new IllegalArgumentException("dynamic sparsity growth must not be null");
                }
                return new Options(this);
            }
        }
    }
}
