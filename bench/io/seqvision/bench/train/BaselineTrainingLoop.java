package io.seqvision.bench.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.seqvision.tasks.training.SequenceLoss;
import java.util.List;

/**
 * A deliberate baseline, kept for comparison and not used by training: the step as the detection
 * trainer ran it before {@code Trainer} moved to {@link FusedTrainingLoop}'s parts. Parameters read
 * straight from their arrays, {@link AdamW} (a dozen ops per parameter, scalars made into arrays),
 * clipping that reads the global norm on the host, and the loss read on the host every step.
 * Float32 only. {@code bench-train --loops baseline} times it; the figures are in docs/NOTES.md
 * ("Speed and the GPU machine").
 */
final class BaselineTrainingLoop extends TrainingLoop {

    private final ParameterStore store;
    private final AdamW optimizer;
    private double lossSum;
    private long lossCount;

    BaselineTrainingLoop(BenchModel bench, double weightDecay, double clipNorm) {
        super(bench, clipNorm);
        List<Parameter> parameters = bench.trainableParameters();
        optimizer = new AdamW(parameters, bench.manager, weightDecay);
        store = new ParameterStore(bench.manager, false);
    }

    @Override
    String name() {
        return "baseline";
    }

    @Override
    String description() {
        return "AdamW per parameter, host-read clip norm and loss every step (the detection trainer's former step)";
    }

    @Override
    void step(double lr) {
        long[] marks = new long[6];
        marks[0] = System.nanoTime();
        try (CountingScope scope = CountingScope.open()) {
            NDArray loss;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray memory = bench.model.encode(store, bench.images, true);
                NDArray logits = bench.model.decode(store, bench.inputs, memory, true);
                loss = SequenceLoss.weightedCrossEntropy(logits, bench.targets, bench.weights);
                marks[1] = System.nanoTime();
                collector.backward(loss);
            }
            marks[2] = System.nanoTime();
            optimizer.clipGradients(clipNorm);
            hostReads++;
            marks[3] = System.nanoTime();
            optimizer.step(lr);
            marks[4] = System.nanoTime();
            lossSum += loss.getFloat();
            lossCount++;
            hostReads++;
            marks[5] = System.nanoTime();
            record(marks, scope.created());
        }
    }

    @Override
    double drainLoss() {
        double mean = lossSum / Math.max(lossCount, 1);
        lossSum = 0;
        lossCount = 0;
        return mean;
    }

    @Override
    ParameterStore inferenceStore() {
        return store;
    }
}
