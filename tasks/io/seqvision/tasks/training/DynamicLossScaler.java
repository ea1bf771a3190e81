package io.seqvision.tasks.training;

/**
 * Dynamic loss scaling for float16 training (Micikevicius et al., "Mixed Precision Training",
 * arXiv 1710.03740), with the policy of PyTorch's {@code GradScaler}: the loss is multiplied by
 * {@link #scale()} before the backward pass so that small gradients survive float16; the
 * gradients are divided by it again before the update. A step whose gradients overflowed (a
 * non-finite global norm) is skipped and the scale multiplied by the backoff factor; after
 * {@code growthInterval} finite steps in a row the scale is multiplied by the growth factor.
 *
 * <p>Host-side state only: deciding needs the finiteness of the step's gradients on the host, one
 * read per step (as {@code GradScaler.step} does).
 */
public final class DynamicLossScaler {

    /** PyTorch's defaults: 2^16, x2 every 2000 good steps, x0.5 on overflow. */
    public static final double DEFAULT_INITIAL_SCALE = 65536;
    public static final double DEFAULT_GROWTH_FACTOR = 2;
    public static final double DEFAULT_BACKOFF_FACTOR = 0.5;
    public static final int DEFAULT_GROWTH_INTERVAL = 2000;

    private final double growthFactor;
    private final double backoffFactor;
    private final int growthInterval;
    private double scale;
    private int goodSteps;
    private long skippedSteps;

    public DynamicLossScaler() {
        this(DEFAULT_INITIAL_SCALE, DEFAULT_GROWTH_FACTOR, DEFAULT_BACKOFF_FACTOR, DEFAULT_GROWTH_INTERVAL);
    }

    /**
     * @throws IllegalArgumentException if the scale is not positive and finite, growth is not
     *     above 1, backoff not in (0, 1), or the interval not positive
     */
    public DynamicLossScaler(double initialScale, double growthFactor, double backoffFactor, int growthInterval) {
        if (!(initialScale > 0) || Double.isInfinite(initialScale)) {
            throw new IllegalArgumentException("initial loss scale must be positive and finite, got " + initialScale);
        }
        if (!(growthFactor > 1)) {
            throw new IllegalArgumentException("loss scale growth factor must be above 1, got " + growthFactor);
        }
        if (!(backoffFactor > 0 && backoffFactor < 1)) {
            throw new IllegalArgumentException("loss scale backoff factor must be in (0, 1), got " + backoffFactor);
        }
        if (growthInterval < 1) {
            throw new IllegalArgumentException("loss scale growth interval must be at least 1, got " + growthInterval);
        }
        this.scale = initialScale;
        this.growthFactor = growthFactor;
        this.backoffFactor = backoffFactor;
        this.growthInterval = growthInterval;
    }

    /** The factor the loss is multiplied by before the backward pass. */
    public double scale() {
        return scale;
    }

    /** Finite steps since the last overflow or growth. */
    public int goodSteps() {
        return goodSteps;
    }

    /** Steps skipped for overflow so far. */
    public long skippedSteps() {
        return skippedSteps;
    }

    /** Writes the scale, the good-step count and the skipped-step count (for an exact resume). */
    public void save(java.io.DataOutputStream out) throws java.io.IOException {
        out.writeDouble(scale);
        out.writeInt(goodSteps);
        out.writeLong(skippedSteps);
    }

    /**
     * Restores what {@link #save} wrote.
     *
     * @throws java.io.IOException when the stream is short or holds an impossible state
     */
    public void load(java.io.DataInputStream in) throws java.io.IOException {
        double loadedScale = in.readDouble();
        int loadedGood = in.readInt();
        long loadedSkipped = in.readLong();
        if (!(loadedScale > 0) || Double.isInfinite(loadedScale) || loadedGood < 0 || loadedSkipped < 0) {
            throw new java.io.IOException("loss scaler state is invalid: scale " + loadedScale + ", good steps "
                    + loadedGood + ", skipped " + loadedSkipped);
        }
        scale = loadedScale;
        goodSteps = loadedGood;
        skippedSteps = loadedSkipped;
    }

    /**
     * Records one step's outcome and adjusts the scale.
     *
     * @param gradientsFinite whether every gradient of the step was finite
     * @return whether the optimizer should apply the step
     */
    public boolean update(boolean gradientsFinite) {
        if (!gradientsFinite) {
            scale *= backoffFactor;
            goodSteps = 0;
            skippedSteps++;
            return false;
        }
        goodSteps++;
        if (goodSteps == growthInterval) {
            scale *= growthFactor;
            goodSteps = 0;
        }
        return true;
    }
}
