package io.seqvision.web.service;

import io.seqvision.web.ApiException;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A fixed number of workers in front of the model and a bounded queue before them. A job that
 * finds the queue full is refused at once (503) rather than piling up; a job not answered within
 * the time limit, counted from entering the queue, is abandoned (504): its waiting caller returns,
 * the job is cancelled if it has not started, and a running job stops at its next deadline check.
 */
public final class InferenceQueue implements AutoCloseable {

    /** How long a caller waits past the deadline for a running job to notice it. */
    private static final long GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    private final int workers;
    private final int capacity;
    private final Duration timeLimit;
    private final ThreadPoolExecutor executor;
    private final AtomicInteger running = new AtomicInteger();

    /**
     * @param workers jobs run at once, at least 1
     * @param capacity jobs that may wait, 0 or more
     * @param timeLimit time from submission to answer, positive
     */
    public InferenceQueue(int workers, int capacity, Duration timeLimit) {
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1, got " + workers);
        }
        if (capacity < 0) {
            throw new IllegalArgumentException("queue capacity must be 0 or more, got " + capacity);
        }
        if (timeLimit.isNegative() || timeLimit.isZero()) {
            throw new IllegalArgumentException("time limit must be positive, got " + timeLimit);
        }
        this.workers = workers;
        this.capacity = capacity;
        this.timeLimit = timeLimit;
        AtomicInteger threads = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(workers, workers, 0, TimeUnit.SECONDS,
                capacity == 0 ? new SynchronousQueue<>() : new ArrayBlockingQueue<>(capacity),
                runnable -> {
                    Thread thread = new Thread(runnable, "inference-" + threads.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                },
                new ThreadPoolExecutor.AbortPolicy());
    }

    /**
     * Runs {@code job} on a worker and waits for its result.
     *
     * @param job given the request's deadline, which it should check while working
     * @throws ApiException 503 {@code queue_full} if every worker is busy and the queue is full
     * @throws TimeLimitExceededException (504) past the time limit
     */
    public <T> T run(Function<Deadline, T> job) {
        Deadline deadline = Deadline.after(timeLimit);
        Future<T> future;
        try {
            future = executor.submit(() -> {
                running.incrementAndGet();
                try {
                    deadline.check();
                    return job.apply(deadline);
                } finally {
                    running.decrementAndGet();
                }
            });
        } catch (RejectedExecutionException e) {
            throw new ApiException(503, executor.isShutdown() ? "shutting_down" : "queue_full",
                    executor.isShutdown() ? "the server is shutting down"
                            : "the inference queue is full (" + workers + " decoding, " + capacity
                                    + " waiting); retry in a moment");
        }
        try {
            return future.get(deadline.remainingNanos() + GRACE_NANOS, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            abandon(future);
            throw deadline.exceeded();
        } catch (InterruptedException e) {
            abandon(future);
            Thread.currentThread().interrupt();
            throw deadline.exceeded();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("inference failed: " + cause, cause);
        }
    }

    /** Interrupts the job if running; if still waiting, frees its place in the queue at once. */
    private void abandon(Future<?> future) {
        future.cancel(true);
        executor.remove((Runnable) future);
    }

    /** Jobs being run now. */
    public int running() {
        return running.get();
    }

    /** Jobs waiting for a worker. */
    public int waiting() {
        return executor.getQueue().size();
    }

    public int workers() {
        return workers;
    }

    public int capacity() {
        return capacity;
    }

    public Duration timeLimit() {
        return timeLimit;
    }

    /** Refuses new jobs, lets running ones finish (up to the time limit), then stops the workers. */
    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(timeLimit.toMillis() + 1000, TimeUnit.MILLISECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
