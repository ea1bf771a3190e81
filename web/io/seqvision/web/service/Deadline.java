package io.seqvision.web.service;

import java.time.Duration;

/**
 * When a request must be answered by. Decoding checks it between tokens ({@link #check()}), so a
 * request past its time stops within one decoding step instead of running to the end.
 */
public final class Deadline {

    private final long startNanos;
    private final long limitNanos;

    private Deadline(long startNanos, long limitNanos) {
        this.startNanos = startNanos;
        this.limitNanos = limitNanos;
    }

    /** A deadline {@code limit} from now. */
    public static Deadline after(Duration limit) {
        if (limit.isNegative() || limit.isZero()) {
            throw new IllegalArgumentException("a time limit must be positive, got " + limit);
        }
        return new Deadline(System.nanoTime(), limit.toNanos());
    }

    /** No limit in practice (about 292 years), for callers outside the server. */
    public static Deadline none() {
        return new Deadline(System.nanoTime(), Long.MAX_VALUE / 2);
    }

    public boolean expired() {
        return elapsedNanos() >= limitNanos;
    }

    /** Nanoseconds left, zero once expired. */
    public long remainingNanos() {
        return Math.max(0, limitNanos - elapsedNanos());
    }

    /**
     * Throws once the deadline has passed or the calling thread was interrupted (the waiting
     * request gave up).
     *
     * @throws TimeLimitExceededException naming the limit and the time taken
     */
    public void check() {
        if (expired() || Thread.currentThread().isInterrupted()) {
            throw exceeded();
        }
    }

    /** The exception {@link #check()} throws. */
    public TimeLimitExceededException exceeded() {
        return new TimeLimitExceededException(limitNanos / 1_000_000, elapsedNanos() / 1_000_000);
    }

    private long elapsedNanos() {
        return System.nanoTime() - startNanos;
    }
}
