package io.seqvision.bench.train;

import ai.djl.training.ParameterStore;

/**
 * One way of running a training step (forward, backward, clipping, optimizer update) over a
 * {@link BenchModel}'s fixed batch, instrumented: host time per phase, native arrays created per
 * step and host reads of device values.
 *
 * <p>Phase times are host times: on the CPU the ops run as they are called, so they are the
 * phases' cost; on a GPU the ops are queued and a phase shows the host's cost of queuing them
 * (the per-op overhead), and the device time surfaces in whatever phase waits for a result.
 */
abstract class TrainingLoop implements AutoCloseable {

    static final String[] PHASES = {"forward", "backward", "clip", "update", "loss read"};

    final BenchModel bench;
    final double clipNorm;
    final long[] phaseNanos = new long[PHASES.length];
    long steps;
    long arraysCreated;
    long hostReads;

    TrainingLoop(BenchModel bench, double clipNorm) {
        this.bench = bench;
        this.clipNorm = clipNorm;
    }

    /** Short name for tables and JSON. */
    abstract String name();

    /** How the loop differs from the others, in a sentence. */
    abstract String description();

    /** Runs one step at learning rate {@code lr}. */
    abstract void step(double lr);

    /** The mean loss of the steps since the last call (reading it may wait for the device). */
    abstract double drainLoss();

    /** A parameter store with the current weights, for decoding in the loop's precision. */
    abstract ParameterStore inferenceStore();

    /** Forgets the counters and phase times (after warm-up). */
    void resetCounters() {
        java.util.Arrays.fill(phaseNanos, 0);
        steps = 0;
        arraysCreated = 0;
        hostReads = 0;
    }

    /** Adds one step's phase boundaries (System.nanoTime at the start and after each phase). */
    void record(long[] marks, long created) {
        for (int i = 0; i + 1 < marks.length; i++) {
            phaseNanos[i] += marks[i + 1] - marks[i];
        }
        steps++;
        arraysCreated = created < 0 || arraysCreated < 0 ? -1 : arraysCreated + created;
    }

    @Override
    public void close() {}
}
