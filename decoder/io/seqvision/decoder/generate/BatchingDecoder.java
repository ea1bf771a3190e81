package io.seqvision.decoder.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.seqvision.decoder.BatchingKeyValueCache;
import io.seqvision.decoder.EncoderDecoderModel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Continuous batching: concurrent {@link #generate} calls share decoding steps. One worker thread
 * runs steps over the set of active sequences; a call's sequences join at the next step and leave
 * as soon as they end, so a step costs about what one sequence's step costs (on the CPU a small
 * decoder's step is mostly per-operation overhead) however many calls it serves.
 *
 * <p>Each row of the shared batch has its own memory (its cross-attention keys and values are
 * computed once, when it joins), its own position and its own self-attention keys ({@link
 * BatchingKeyValueCache}). A joining call's prompt is fed one token per step, with the batch. Each
 * call keeps its own {@link GenerationOptions}: the constraint, logits processor, sampler, end
 * token and budget apply to its rows alone, so its results are those of {@link
 * Generator#generateFromMemory} for the same call (greedy tokens identical; probabilities to float
 * rounding). Calls with {@link GenerationOptions#keyValueCache()} off run alone, on the caller's
 * thread, as {@link Generator} does.
 *
 * <p>Latency: an idle worker starts a call's first step as soon as it arrives (it never waits for
 * more calls). Calls join in arrival order while the batch has room for their rows ({@code
 * maxRows}); a call with more rows than that runs when the batch is empty. Rows whose memory
 * length differs from the running batch's wait until it empties.
 *
 * <p>Failures: an error in one call's choices (its constraint, processor or sampler, or a time limit
 * checked from them) fails that call alone, with that error; a failing decoder step fails the calls
 * in it and the batch starts afresh. A caller interrupted while waiting cancels its call.
 *
 * <p>Memory: the worker's arrays live in its own manager (a sub-manager of the one given), each
 * step's in a sub-manager closed after the step; the shared cache frees every array when the batch
 * empties, and {@link #close()} frees the rest. The caller's memory array is only read while the
 * call waits.
 */
public final class BatchingDecoder implements AutoCloseable {

    private final EncoderDecoderModel model;
    private final int maxRows;
    private final int vocab;
    private final NDManager manager;
    private final LinkedBlockingQueue<BatchedRequest> arrivals = new LinkedBlockingQueue<>();
    private final Thread worker;
    private volatile boolean closed;
    private volatile int activeRows;
    private final AtomicLong steps = new AtomicLong();
    private final AtomicLong rowSteps = new AtomicLong();
    private final AtomicLong decoderNanos = new AtomicLong();
    private final AtomicLong hostNanos = new AtomicLong();

    /**
     * Starts the worker thread.
     *
     * @param model an initialised model; its parameters are only read
     * @param manager the worker's arrays live in a sub-manager of it
     * @param maxRows the most sequences decoded in one step, at least 1
     */
    public BatchingDecoder(EncoderDecoderModel model, NDManager manager, int maxRows) {
        if (maxRows < 1) {
            throw new IllegalArgumentException("maxRows must be at least 1, got " + maxRows);
        }
        this.model = model;
        this.maxRows = maxRows;
        this.vocab = model.decoder().vocabSize();
        this.manager = manager.newSubManager();
        this.worker = new Thread(this::work, "seqvision-batching-decoder");
        worker.setDaemon(true);
        worker.start();
    }

    /** The most sequences decoded in one step. */
    public int maxRows() {
        return maxRows;
    }

    /** Sequences in the shared batch now (for health counters). */
    public int activeRows() {
        return activeRows;
    }

    /**
     * What the worker has done so far: shared steps, rows summed over steps (their ratio is the mean
     * batch), and its time in the decoder and in the calls' choices (constraints, samplers).
     */
    public record Counters(long steps, long rowSteps, long decoderNanos, long hostNanos) {
        public double meanRows() {
            return steps == 0 ? 0 : (double) rowSteps / steps;
        }

        /** Mean milliseconds a step spent in the decoder. */
        public double decoderMsPerStep() {
            return steps == 0 ? 0 : decoderNanos / 1e6 / steps;
        }

        /** Mean milliseconds a step spent on the calls' choices. */
        public double hostMsPerStep() {
            return steps == 0 ? 0 : hostNanos / 1e6 / steps;
        }
    }

    public Counters counters() {
        return new Counters(steps.get(), rowSteps.get(), decoderNanos.get(), hostNanos.get());
    }

    /**
     * Generates a continuation of each prompt, its steps shared with concurrent calls; blocks until
     * done. Same arguments, checks and results as {@link Generator#generateFromMemory}.
     *
     * @param memory {@code (B, N, D)} from {@link EncoderDecoderModel#encode}, one row per prompt;
     *     must stay open until the call returns
     * @throws IllegalStateException if the decoder is closed
     * @throws CancellationException if the calling thread is interrupted while waiting (its
     *     interrupt flag is set again)
     */
    public GenerationResult generate(NDArray memory, int[][] prompts, GenerationOptions options) {
        if (!options.keyValueCache()) {
            NDManager parameters = memory.getManager();
            return Generator.generateFromMemory(model, new ParameterStore(parameters, false), memory, prompts, options);
        }
        int promptLength = Generator.checkPrompts(prompts, memory.getShape(), "memory", "(B, N, D)", 3, model, options);
        if (memory.getShape().get(2) != model.decoder().width()) {
            throw new IllegalArgumentException("memory must have shape (B, N, " + model.decoder().width() + "), got "
                    + memory.getShape());
        }
        BatchedRequest request = new BatchedRequest(memory, prompts, promptLength, options, vocab);
        if (closed) {
            throw closedError();
        }
        arrivals.add(request);
        if (closed) {
            request.result.completeExceptionally(closedError()); // close() may have drained before the add
        }
        return await(request);
    }

    private static GenerationResult await(BatchedRequest request) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return request.result.get();
                } catch (InterruptedException e) {
                    // The worker may be reading the caller's memory: wait until it lets go of the call.
                    interrupted = true;
                    request.cancel();
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof RuntimeException runtime) {
                        throw runtime;
                    }
                    if (cause instanceof Error error) {
                        throw error;
                    }
                    throw new IllegalStateException("batched decoding failed: " + cause, cause);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Stops the worker; calls waiting or decoding fail with {@link IllegalStateException}. Idempotent. */
    @Override
    public void close() {
        closed = true;
        worker.interrupt();
        try {
            worker.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (BatchedRequest request : arrivals) {
            request.result.completeExceptionally(closedError());
        }
        manager.close();
    }

    private static IllegalStateException closedError() {
        return new IllegalStateException("the batching decoder has been closed");
    }

    private void work() {
        ParameterStore parameterStore = new ParameterStore(manager, false);
        Deque<BatchedRequest> waiting = new ArrayDeque<>();
        List<BatchedRequest> active = new ArrayList<>();
        try (BatchingKeyValueCache cache = model.newBatchingCache(manager)) {
            while (!closed) {
                try {
                    if (active.isEmpty() && waiting.isEmpty()) {
                        waiting.add(arrivals.take()); // idle: start as soon as one call arrives
                    }
                    arrivals.drainTo(waiting);
                } catch (InterruptedException e) {
                    break; // close()
                }
                try {
                    admit(parameterStore, cache, waiting, active);
                    if (!active.isEmpty()) {
                        step(parameterStore, cache, active);
                    }
                } catch (RuntimeException | Error e) {
                    // Whatever went wrong, no caller may be left waiting for a worker that has stopped.
                    restart(cache, active, e instanceof RuntimeException runtime ? runtime
                            : new IllegalStateException("batched decoding failed: " + e, e));
                }
                activeRows = cache.rows();
            }
            fail(waiting, closedError());
            fail(active, closedError());
        }
    }

    /** Moves waiting calls into the batch, in arrival order, while their rows fit. */
    private void admit(ParameterStore parameterStore, BatchingKeyValueCache cache, Deque<BatchedRequest> waiting,
            List<BatchedRequest> active) {
        waiting.removeIf(request -> {
            if (request.cancelled()) {
                request.result.completeExceptionally(new CancellationException("decoding was cancelled"));
                return true;
            }
            return false;
        });
        while (!waiting.isEmpty()) {
            BatchedRequest next = waiting.peek();
            boolean empty = cache.rows() == 0;
            boolean fits = cache.rows() + next.rows() <= maxRows
                    && (empty || next.memory.getShape().get(1) == cache.memoryLength());
            if (!fits && !empty) {
                return;
            }
            waiting.poll();
            try {
                model.addRows(parameterStore, next.memory, cache);
                active.add(next);
            } catch (RuntimeException e) {
                next.result.completeExceptionally(e);
                if (cache.rows() != liveRowCount(active)) {
                    restart(cache, active, e); // the cache may hold part of its rows
                }
            }
        }
    }

    /** One shared decoder step, then each call's choices; finished, failed and cancelled calls leave. */
    private void step(ParameterStore parameterStore, BatchingKeyValueCache cache, List<BatchedRequest> active) {
        // Callers are answered once the step has let go of their rows' arrays; a caller woken earlier
        // would also take the CPU from the worker in the middle of the step.
        List<Runnable> answers = new ArrayList<>();
        try (NDManager stepManager = manager.newSubManager()) {
            int rows = cache.rows();
            int[] tokens = new int[rows];
            int offset = 0;
            for (BatchedRequest request : active) {
                request.tokensInto(tokens, offset);
                offset += request.liveRows().length;
            }
            float[] logits;
            long start = System.nanoTime();
            try {
                NDArray input = stepManager.create(tokens, new Shape(rows, 1));
                NDArray output = model.decodeRows(parameterStore, input, cache);
                logits = output.toType(DataType.FLOAT32, false).toFloatArray();
            } catch (RuntimeException e) {
                restart(cache, active, e);
                return;
            }
            long decoded = System.nanoTime();
            List<Integer> kept = new ArrayList<>(rows);
            List<BatchedRequest> staying = new ArrayList<>(active.size());
            offset = 0;
            for (BatchedRequest request : active) {
                int[] before = request.liveRows();
                boolean finished;
                try {
                    finished = request.cancelled() || request.advance(logits, offset, stepManager);
                    if (request.cancelled()) {
                        answers.add(() -> request.result.completeExceptionally(
                                new CancellationException("decoding was cancelled")));
                    } else if (finished) {
                        GenerationResult result = request.batch.result();
                        answers.add(() -> request.result.complete(result));
                    }
                } catch (RuntimeException e) {
                    answers.add(() -> request.result.completeExceptionally(e));
                    finished = true;
                }
                if (!finished) {
                    staying.add(request);
                    keepLiveRows(request, before, offset, kept);
                }
                offset += before.length;
            }
            active.clear();
            active.addAll(staying);
            cache.retainRows(kept.stream().mapToInt(Integer::intValue).toArray());
            steps.incrementAndGet();
            rowSteps.addAndGet(rows);
            decoderNanos.addAndGet(decoded - start);
            hostNanos.addAndGet(System.nanoTime() - decoded);
        }
        activeRows = cache.rows();
        answers.forEach(Runnable::run);
    }

    /** The shared rows of {@code request}'s sequences still live, which were {@code before} at {@code offset}. */
    private static void keepLiveRows(BatchedRequest request, int[] before, int offset, List<Integer> kept) {
        int[] after = request.liveRows();
        int a = 0;
        for (int r = 0; r < before.length && a < after.length; r++) {
            if (before[r] == after[a]) {
                kept.add(offset + r);
                a++;
            }
        }
    }

    private static int liveRowCount(List<BatchedRequest> active) {
        return active.stream().mapToInt(request -> request.liveRows().length).sum();
    }

    /** After a failed step: fails every call in the batch with the error and empties the cache. */
    private static void restart(BatchingKeyValueCache cache, List<BatchedRequest> active, RuntimeException error) {
        fail(active, error);
        cache.retainRows(new int[0]);
    }

    private static void fail(Collection<BatchedRequest> requests, RuntimeException error) {
        for (BatchedRequest request : requests) {
            request.result.completeExceptionally(error);
        }
        requests.clear();
    }
}
