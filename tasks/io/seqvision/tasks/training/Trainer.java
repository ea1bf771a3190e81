package io.seqvision.tasks.training;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import io.seqvision.decoder.EncoderDecoderModel;
import io.seqvision.encoder.engine.ConvolutionGradientCheck;
import io.seqvision.encoder.EncoderRegistry;
import io.seqvision.encoder.common.DifferentiableCast;
import io.seqvision.encoder.TrainingHook;
import io.seqvision.encoder.engine.Scalars;
import io.seqvision.tasks.config.SeqVisionConfig;
import io.seqvision.tasks.config.TrainingConfig;
import io.seqvision.tasks.TaskKind;
import io.seqvision.tasks.data.MultiTaskDataset;
import io.seqvision.tasks.model.TaskSuite;
import io.seqvision.tasks.storage.AtomicFiles;
import io.seqvision.tasks.model.ModelBundle;
import io.seqvision.encoder.checkpoint.ImportReport;
import io.seqvision.tasks.model.ModelFactory;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Trains one model on the config's tasks: each micro-batch is one task's, drawn by mixing weight
 * ({@link TaskMixer}); {@code gradient_accumulation} micro-batches make an optimizer step (AdamW,
 * warmup then cosine schedule, clipping by global norm). Parameters live in flat float32 masters
 * updated by {@link FusedAdamW}, on one or more devices ({@link DataParallel}: each micro-batch is
 * split over the replicas), computing in float32 or float16 ({@code training.precision}); losses
 * stay on the device until a log line needs them. Periodic atomic checkpoints, evaluation every
 * {@code eval.every} steps keeping the best model ({@code model-best/}), and an exact resume: the
 * task, batch, augmentation and dropout of every micro-batch depend only on the seed and its
 * index, so a run stopped and resumed ends with the same parameters as one run straight through.
 */
public final class Trainer {

    /** Scores a model during training: metric name (such as "detection.ap50") to value. */
    @FunctionalInterface
    public interface PeriodicEvaluation {
        Map<String, Double> evaluate(EncoderDecoderModel model, long step);
    }

    private final SeqVisionConfig config;
    private final EncoderRegistry encoders;
    private final PrintStream out;
    private final Augmenter augmenter;
    private final PeriodicEvaluation evaluation;
    private final List<Device> devices;

    /** A trainer with the config's augmentation and no evaluation during training. */
    public Trainer(SeqVisionConfig config, EncoderRegistry encoders, PrintStream out) {
        this(config, encoders, out, ScaleJitterAugmenter.of(config), null);
    }

    /**
     * @param evaluation called every {@code eval.every} steps (null: never)
     */
    public Trainer(SeqVisionConfig config, EncoderRegistry encoders, PrintStream out, Augmenter augmenter,
            PeriodicEvaluation evaluation) {
        this(config, encoders, out, augmenter, evaluation, null);
    }

    private Trainer(SeqVisionConfig config, EncoderRegistry encoders, PrintStream out, Augmenter augmenter,
            PeriodicEvaluation evaluation, List<Device> devices) {
        this.config = config;
        this.encoders = encoders;
        this.out = out;
        this.augmenter = augmenter;
        this.evaluation = evaluation;
        this.devices = devices;
    }

    /**
     * This trainer on the given devices instead of {@code training.devices}'s; a device may be
     * listed twice, which splits every micro-batch over two replicas on it (for tests of the
     * data-parallel arithmetic on a machine without GPUs).
     */
    Trainer onDevices(List<Device> devices) {
        return new Trainer(config, encoders, out, augmenter, evaluation, List.copyOf(devices));
    }

    /**
     * Trains on {@code data} up to the config's step count (or {@code stopAfter}, when smaller, to
     * run part of a schedule), writing checkpoints and, at the end of the schedule, the final
     * model into {@code run}.
     *
     * @param resume continue from the run's latest checkpoint when there is one
     */
    public TrainingResult train(MultiTaskDataset data, RunDirectory run, boolean resume, long stopAfter) {
        if (data.size() == 0) {
            throw new IllegalArgumentException("the training set has no images");
        }
        TrainingConfig t = config.training();
        Precision precision = Precision.parse(t.precision());
        List<Device> trainingDevices = devices != null ? devices : DataParallel.devices(t.devices());
        LearningRateSchedule schedule =
                new LearningRateSchedule(t.learningRate(), t.minLearningRate(), t.warmupSteps(), t.steps());
        long endStep = Math.min(t.steps(), stopAfter);
        trainingDevices.forEach(ConvolutionGradientCheck::requireCorrectInputGradients);
        try (NDManager manager = NDManager.newBaseManager(trainingDevices.get(0));
                TaskSuite suite = TaskSuite.of(config, data.classNames())) {
            MicroBatches batches = new MicroBatches(config, suite, data);
            Engine.getInstance().setRandomSeed((int) config.seed());
            EncoderDecoderModel model = ModelFactory.create(
                    config.model(), suite.vocabulary(), suite.maxLength(), encoders, manager);
            AuxiliaryHeads auxiliary = AuxiliaryHeads.create(t, suite.vocabulary().numClasses(),
                    config.model().decoder().width(), config.model().imageSize() / model.encoder().outputStride(),
                    suite.trains(TaskKind.KEYPOINTS), manager);
            long startStep = 0;
            CheckpointStore store = new CheckpointStore(run, out);
            store.removeStaleTemporaries();
            Path checkpoint = resume ? store.resumePoint().orElse(null) : null;
            if (checkpoint != null) {
                CheckpointStore.loadModel(checkpoint, model, auxiliary, manager);
            } else {
                ImportReport loaded = ModelFactory.loadEncoderWeights(config.model(), model);
                if (loaded != null) {
                    out.println("encoder: " + loaded.summary());
                }
            }
            List<TrainingHook> hooks = model.encoder().trainingHooks(t.steps());
            if (checkpoint != null) {
                CheckpointStore.loadHooks(checkpoint, hooks);
            }
            List<Parameter> parameters = trainableParameters(model);
            parameters.addAll(auxiliary.parameters());
            try (DataParallel parallel =
                            new DataParallel(parameters, model, precision, trainingDevices, t.weightDecay(), manager);
                    StepLosses stepLosses = new StepLosses(manager)) {
                if (checkpoint != null) {
                    startStep = ModelBundle.read(checkpoint).step();
                    CheckpointStore.loadOptimizer(checkpoint, parallel);
                }
                MetricsWriter metrics = new MetricsWriter(run, startStep);
                if (checkpoint != null) {
                    CheckpointStore.loadWindow(checkpoint, metrics);
                    out.println("resuming " + run.root() + " from step " + startStep);
                }
                BestModel best = new BestModel(run, config.eval().bestMetric(), startStep);
                ProgressBar progress = ProgressBar.console(t.steps());
                List<Double> losses = new ArrayList<>();
                long started = System.nanoTime();
                long windowStart = started;
                long windowImages = 0;
                for (long step = startStep; step < endStep; step++) {
                    double lr = schedule.at(step);
                    trainStep(model, auxiliary, hooks, parallel, suite, batches, step, lr, stepLosses);
                    CheckpointStore.probe.reached(step + 1, "step");
                    windowImages += (long) t.batchSize() * t.gradientAccumulation();
                    // a partial run logs on the schedule only, so that its resumed file equals a straight run's
                    if ((step + 1) % t.logEvery() == 0 || step + 1 == t.steps()) {
                        for (StepLoss loss : stepLosses.drain()) {
                            losses.add(loss.total());
                            metrics.add(loss);
                        }
                        long now = System.nanoTime();
                        double rate = windowImages / ((now - windowStart) / 1e9);
                        double secondsLeft = (endStep - step - 1) * (double) t.batchSize() * t.gradientAccumulation()
                                / Math.max(rate, 1e-9);
                        progress.report(step + 1, metrics.windowMean(), lr, rate, secondsLeft);
                        metrics.flush(step + 1, lr, rate);
                        windowStart = now;
                        windowImages = 0;
                    }
                    if ((step + 1) % t.checkpointEvery() == 0 || step + 1 == endStep) {
                        // the window since the last row goes into the checkpoint, so a resume continues it
                        for (StepLoss loss : stepLosses.drain()) {
                            losses.add(loss.total());
                            metrics.add(loss);
                        }
                        ModelBundle bundle = new ModelBundle(config, data.classNames(), data.categoryIds(), step + 1);
                        store.save(step + 1, dir -> {
                            bundle.writeInto(dir, model);
                            CheckpointStore.writeHooks(dir, hooks);
                            auxiliary.save(dir);
                            CheckpointStore.writeOptimizer(dir, parallel);
                            CheckpointStore.writeWindow(dir, metrics);
                        });
                    }
                    if (evaluation != null && config.eval().every() > 0 && (step + 1) % config.eval().every() == 0) {
                        long evalStart = System.nanoTime();
                        Map<String, Double> scores = evaluation.evaluate(model, step + 1);
                        metrics.evaluation(step + 1, scores);
                        if (best.offer(step + 1, scores)) {
                            new ModelBundle(config, data.classNames(), data.categoryIds(), step + 1)
                                    .write(run.bestModel(), model);
                        }
                        progress.message(String.format(Locale.ROOT, "step %d eval %s (%.0f s)", step + 1,
                                BestModel.describe(scores), (System.nanoTime() - evalStart) / 1e9));
                        windowStart = System.nanoTime();
                    }
                }
                for (StepLoss loss : stepLosses.drain()) {
                    losses.add(loss.total());
                }
                progress.finish();
                if (parallel.skippedSteps() > 0) {
                    out.println(parallel.skippedSteps() + " steps skipped for float16 overflow (loss scaling)");
                }
                double seconds = (System.nanoTime() - started) / 1e9;
                double throughput = losses.isEmpty() ? 0
                        : losses.size() * (double) t.batchSize() * t.gradientAccumulation() / seconds;
                Path modelDir = null;
                if (endStep == t.steps()) {
                    ModelBundle bundle = new ModelBundle(config, data.classNames(), data.categoryIds(), endStep);
                    AtomicFiles.writeDirectory(run.model(), temp -> {
                        bundle.writeInto(temp, model);
                        CheckpointStore.probe.reached(endStep, "model-unsealed");
                    });
                    CheckpointStore.probe.reached(endStep, "model-done");
                    modelDir = run.model();
                }
                closeHooks(hooks);
                return new TrainingResult(startStep, endStep, losses, throughput, seconds, modelDir);
            }
        }
    }

    /**
     * One optimizer step over {@code gradient_accumulation} micro-batches, each split over the
     * replicas. Its next-token losses (overall and per task; the auxiliary losses are
     * optimised with them but not reported, so that runs with and without them compare) stay on the
     * device in {@code stepLosses} until the trainer logs.
     */
    private void trainStep(EncoderDecoderModel model, AuxiliaryHeads auxiliary, List<TrainingHook> hooks,
            DataParallel parallel, TaskSuite suite, MicroBatches batches, long step, double lr,
            StepLosses stepLosses) {
        TrainingConfig t = config.training();
        int accumulation = t.gradientAccumulation();
        for (int micro = 0; micro < accumulation; micro++) {
            long index = step * accumulation + micro;
            MicroBatch batch = batches.prepare(index, augmenter, model.encoder().outputStride());
            Engine.getInstance().setRandomSeed((int) (config.seed() * 1_000_003 + index));
            NDArray loss = stepLosses.newMicroBatch(batch.task());
            backward(model, auxiliary, parallel, suite, batch, accumulation, loss);
        }
        stepLosses.endStep();
        parallel.update(lr, t.clipNorm(), step + 1, hooks);
    }

    /**
     * Forward and backward of one micro-batch, shard by shard over the replicas; gradients add up
     * on each replica's masters until the step. Each shard's loss is its summed cross-entropy over
     * the whole micro-batch's weight sum (and its auxiliary losses over the whole micro-batch's
     * counts), so the shards' gradients add up to the micro-batch's; the reported loss is added into
     * {@code lossSum}.
     */
    private void backward(EncoderDecoderModel model, AuxiliaryHeads auxiliary, DataParallel parallel, TaskSuite suite,
            MicroBatch batch, int accumulation, NDArray lossSum) {
        TrainingConfig t = config.training();
        int side = config.model().imageSize();
        SequenceBatch sequences = batch.sequences();
        CoordinateTargets coordinates = CoordinateTargets.of(sequences, suite.vocabulary().coordStart(),
                suite.vocabulary().coordBins(), t.coordLabelSigma());
        int images = batch.images();
        int length = sequences.length();
        int bins = coordinates.bins();
        float normaliser = Math.max(sum(coordinates.hardWeights()) + sum(coordinates.softWeights()), 1e-6f);
        float taskWeight = (float) config.tasks().of(batch.task()).lossWeight();
        float backwardScale = (float) (parallel.lossScale() / accumulation);
        DataType computeType = parallel.precision().dataType();
        int pixels = 3 * side * side;
        List<int[]> shards = parallel.shards(images);
        for (int k = 0; k < shards.size(); k++) {
            DataParallel.Replica replica = parallel.replica(k);
            int from = shards.get(k)[0];
            int to = shards.get(k)[1];
            int rows = to - from;
            try (NDManager shardManager = replica.manager().newSubManager(replica.device());
                    NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                NDArray imageArray = shardManager.create(
                        rows(batch.pixels(), from, to, images, pixels), new Shape(rows, 3, side, side));
                if (computeType != DataType.FLOAT32) {
                    imageArray = imageArray.toType(computeType, false);
                }
                Shape tokenShape = new Shape(rows, length);
                NDArray inputs = shardManager.create(rows(sequences.inputs(), from, to, images, length), tokenShape);
                NDArray targets = shardManager.create(rows(sequences.targets(), from, to, images, length), tokenShape);
                NDArray hardWeights =
                        shardManager.create(rows(coordinates.hardWeights(), from, to, images, length), tokenShape);
                NDArray softWeights =
                        shardManager.create(rows(coordinates.softWeights(), from, to, images, length), tokenShape);
                NDArray soft = shardManager.create(rows(coordinates.soft(), from, to, images, length * bins),
                        new Shape(rows, length, bins));
                NDArray loss;
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    NDArray memory = model.encode(replica.store(), imageArray, true);
                    NDArray logits = model.decode(replica.store(), inputs, memory, true);
                    loss = Scalars.div(SequenceLoss.summedCrossEntropy(DifferentiableCast.to(logits, DataType.FLOAT32),
                            targets, hardWeights, softWeights, soft, coordinates.start()), normaliser);
                    NDArray total = Scalars.mul(loss, taskWeight);
                    NDArray extra = auxiliary.loss(replica.store(), memory, batch, from, to, shardManager);
                    if (extra != null) {
                        total = total.add(extra);
                    }
                    collector.backward(backwardScale == 1f ? total : Scalars.mul(total, backwardScale));
                }
                try (NDArray detached = loss.stopGradient();
                        NDArray moved = detached.toDevice(lossSum.getDevice(), false)) {
                    lossSum.addi(moved);
                }
            }
        }
    }

    /** Rows {@code [from, to)} of a row-major array of {@code total} rows of {@code width}; the array itself when whole. */
    static float[] rows(float[] values, int from, int to, int total, int width) {
        return from == 0 && to == total ? values : Arrays.copyOfRange(values, from * width, to * width);
    }

    static long[] rows(long[] values, int from, int to, int total, int width) {
        return from == 0 && to == total ? values : Arrays.copyOfRange(values, from * width, to * width);
    }

    private static float sum(float[] values) {
        double total = 0;
        for (float v : values) {
            total += v;
        }
        return (float) total;
    }

    /** The block's trainable parameters, with gradients switched on. */
    public static List<Parameter> trainableParameters(ai.djl.nn.Block model) {
        List<Parameter> parameters = new ArrayList<>();
        for (var entry : model.getParameters()) {
            Parameter parameter = entry.getValue();
            if (parameter.requiresGradient()) {
                parameter.getArray().setRequiresGradient(true);
                parameters.add(parameter);
            }
        }
        return parameters;
    }

    private static void closeHooks(List<TrainingHook> hooks) {
        for (TrainingHook hook : hooks) {
            if (hook instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    throw new IllegalStateException("cannot close training hook " + hook + ": " + e.getMessage(), e);
                }
            }
        }
    }
}
