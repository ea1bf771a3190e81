package io.seqvision.tasks.training;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;
import io.seqvision.decoder.EncoderDecoderModel;
import io.seqvision.encoder.EncoderRegistry;
import io.seqvision.encoder.TrainingHook;
import io.seqvision.tasks.config.SeqVisionConfig;
import io.seqvision.tasks.config.TrainingConfig;
import io.seqvision.tasks.data.DetectionDataset;
import io.seqvision.tasks.data.DetectionExample;
import io.seqvision.tasks.data.ImagePreprocessor;
import io.seqvision.tasks.detection.DetectionSetup;
import io.seqvision.tasks.storage.AtomicFiles;
import io.seqvision.tasks.model.ModelBundle;
import io.seqvision.tasks.model.ModelFactory;
import io.seqvision.tokenizers.TokenBox;
import io.seqvision.tokenizers.TokenSequence;
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
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Trains a detector from a config: AdamW, warmup then cosine schedule, clipping by global norm,
 * periodic atomic checkpoints, and an exact resume: the batch order, augmentation and dropout of
 * step {@code s} depend only on the seed and {@code s}, so a run stopped and resumed ends with the
 * same parameters as one run straight through.
 */
public final class DetectionTrainer {

    private static final String OPTIMIZER_FILE = "optimizer.bin";
    private static final String OBJECTNESS_FILE = "objectness.params";
    private static final String HOOKS_FILE = "hooks.bin";

    private final SeqVisionConfig config;
    private final EncoderRegistry encoders;
    private final PrintStream out;

    public DetectionTrainer(SeqVisionConfig config, EncoderRegistry encoders, PrintStream out) {
        this.config = config;
        this.encoders = encoders;
        this.out = out;
    }

    /**
     * Trains on {@code data} up to the config's step count (or {@code stopAfter}, when smaller, to
     * run part of a schedule), writing checkpoints and, at the end of the schedule, the final
     * model into {@code run}.
     *
     * @param resume continue from the run's latest checkpoint when there is one
     */
    public TrainingResult train(DetectionDataset data, RunDirectory run, boolean resume, long stopAfter) {
        if (data.size() == 0) {
            throw new IllegalArgumentException("the training set has no images");
        }
        TrainingConfig t = config.training();
        DetectionSetup setup = DetectionSetup.of(config, data.classNames());
        LearningRateSchedule schedule =
                new LearningRateSchedule(t.learningRate(), t.minLearningRate(), t.warmupSteps(), t.steps());
        long endStep = Math.min(t.steps(), stopAfter);
        ImagePreprocessor images = new ImagePreprocessor(config.model().imageSize());
        BatchOrder order = new BatchOrder(data.size(), t.batchSize(), config.seed());

        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed((int) config.seed());
            EncoderDecoderModel model = ModelFactory.create(
                    config.model(), setup.vocabulary(), setup.maxLength(), encoders, manager);
            Linear objectnessHead = objectnessHead(model, setup, manager);
            long startStep = 0;
            Path checkpoint = resume ? run.latestCheckpoint().orElse(null) : null;
            if (checkpoint != null) {
                ModelBundle.loadParameters(checkpoint, model, manager);
                if (objectnessHead != null) {
                    loadBlock(checkpoint.resolve(OBJECTNESS_FILE), objectnessHead, manager);
                }
            }
            List<TrainingHook> hooks = model.encoder().trainingHooks(t.steps());
            if (checkpoint != null && !hooks.isEmpty()) {
                loadHooks(checkpoint.resolve(HOOKS_FILE), hooks);
            }
            List<Parameter> parameters = trainableParameters(model);
            if (objectnessHead != null) {
                parameters.addAll(trainableParameters(objectnessHead));
            }
            AdamW optimizer = new AdamW(parameters, manager, t.weightDecay());
            if (checkpoint != null) {
                startStep = ModelBundle.read(checkpoint).step();
                loadOptimizer(checkpoint, optimizer);
                out.println("resuming " + run.root() + " from step " + startStep);
            }
            ParameterStore parameterStore = new ParameterStore(manager, false);
            ProgressBar progress = ProgressBar.console(t.steps());
            List<Double> losses = new ArrayList<>();
            long started = System.nanoTime();
            long windowStart = started;
            long windowImages = 0;
            for (long step = startStep; step < endStep; step++) {
                double lr = schedule.at(step);
                double loss = trainStep(model, objectnessHead, hooks, parameterStore, setup, images, data, order,
                        step, lr, optimizer);
                losses.add(loss);
                windowImages += t.batchSize();
                boolean last = step + 1 == endStep;
                if ((step + 1) % t.logEvery() == 0 || last) {
                    long now = System.nanoTime();
                    double rate = windowImages / ((now - windowStart) / 1e9);
                    double secondsLeft = (endStep - step - 1) * t.batchSize() / Math.max(rate, 1e-9);
                    progress.report(step + 1, loss, lr, rate, secondsLeft);
                    appendMetrics(run, step + 1, loss, lr, rate);
                    windowStart = now;
                    windowImages = 0;
                }
                if ((step + 1) % t.checkpointEvery() == 0 || last) {
                    saveCheckpoint(run, model, objectnessHead, hooks, optimizer, data, step + 1);
                }
            }
            progress.finish();
            double seconds = (System.nanoTime() - started) / 1e9;
            double throughput = losses.isEmpty() ? 0 : losses.size() * (double) t.batchSize() / seconds;
            Path modelDir = null;
            if (endStep == t.steps()) {
                new ModelBundle(config, data.classNames(), data.categoryIds(), endStep).write(run.model(), model);
                modelDir = run.model();
            }
            closeHooks(hooks);
            return new TrainingResult(startStep, endStep, losses, throughput, seconds, modelDir);
        }
    }

    /**
     * @return the step's next-token loss (the auxiliary objectness loss is optimised with it but
     *     not reported, so that runs with and without it compare)
     */
    private double trainStep(EncoderDecoderModel model, Linear objectnessHead, List<TrainingHook> hooks,
            ParameterStore parameterStore,
            DetectionSetup setup,
            ImagePreprocessor images, DetectionDataset data, BatchOrder order, long step, double lr,
            AdamW optimizer) {
        TrainingConfig t = config.training();
        int side = images.side();
        int[] indices = order.batch(step);
        Random random = new Random(config.seed() * 0x9E3779B97F4A7C15L + step);
        float[] pixels = new float[indices.length * 3 * side * side];
        List<TokenSequence> sequences = new ArrayList<>(indices.length);
        int grid = side / model.encoder().outputStride();
        long[] cellLabels = new long[indices.length * grid * grid];
        for (int i = 0; i < indices.length; i++) {
            DetectionExample example = data.get(indices[i]);
            boolean flip = t.horizontalFlip() && random.nextBoolean();
            images.normalizeInto(example.pixels(), flip, pixels, i);
            List<TokenBox> boxes = flip ? example.boxes().stream().map(TokenBox::flipHorizontal).toList() : example.boxes();
            sequences.add(setup.task().trainingSequence(boxes, random));
            ObjectnessTargets.label(boxes, grid, setup.vocabulary().numClasses(), cellLabels, i * grid * grid);
        }
        SequenceBatch batch = SequenceBatch.of(sequences, setup.maxLength());
        CoordinateTargets coordinates = CoordinateTargets.of(batch, setup.vocabulary().coordStart(),
                setup.vocabulary().coordBins(), t.coordLabelSigma());
        Engine.getInstance().setRandomSeed((int) (config.seed() * 1_000_003 + step));
        try (NDManager batchManager = parameterStore.getManager().newSubManager();
                NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray imageArray = batchManager.create(pixels, new Shape(indices.length, 3, side, side));
            Shape tokenShape = new Shape(batch.batchSize(), batch.length());
            NDArray inputs = batchManager.create(batch.inputs(), tokenShape);
            NDArray targets = batchManager.create(batch.targets(), tokenShape);
            NDArray hardWeights = batchManager.create(coordinates.hardWeights(), tokenShape);
            NDArray softWeights = batchManager.create(coordinates.softWeights(), tokenShape);
            NDArray soft = batchManager.create(coordinates.soft(),
                    new Shape(batch.batchSize(), batch.length(), coordinates.bins()));
            NDArray loss;
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray memory = model.encode(parameterStore, imageArray, true);
                NDArray logits = model.decode(parameterStore, inputs, memory, true);
                loss = SequenceLoss.weightedCrossEntropy(
                        logits, targets, hardWeights, softWeights, soft, coordinates.start());
                NDArray total = loss;
                if (objectnessHead != null) {
                    NDArray cellLogits = objectnessHead.forward(parameterStore, new NDList(memory), true)
                            .singletonOrThrow();
                    NDArray labels = batchManager.create(cellLabels, new Shape(indices.length, grid * grid));
                    NDArray objectness = cellLogits.logSoftmax(-1).gather(labels.expandDims(-1), -1).mean().neg();
                    total = loss.add(objectness.mul((float) t.auxiliaryLossWeight()));
                }
                collector.backward(total);
            }
            optimizer.clipGradients(t.clipNorm());
            for (TrainingHook hook : hooks) {
                hook.beforeStep(step + 1);
            }
            optimizer.step(lr);
            for (TrainingHook hook : hooks) {
                hook.afterStep(step + 1);
            }
            return loss.getFloat();
        }
    }

    /** The auxiliary objectness head (see {@link ObjectnessTargets}), or null when its weight is 0. */
    private Linear objectnessHead(EncoderDecoderModel model, DetectionSetup setup, NDManager manager) {
        if (config.training().auxiliaryLossWeight() <= 0) {
            return null;
        }
        Linear head = Linear.builder().setUnits(setup.vocabulary().numClasses() + 1L).build();
        head.setInitializer(new XavierInitializer(XavierInitializer.RandomType.UNIFORM,
                XavierInitializer.FactorType.AVG, 3), Parameter.Type.WEIGHT);
        int grid = config.model().imageSize() / model.encoder().outputStride();
        head.initialize(manager, DataType.FLOAT32, new Shape(1, (long) grid * grid, config.model().decoder().width()));
        return head;
    }

    static List<Parameter> trainableParameters(ai.djl.nn.Block model) {
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

    private void saveCheckpoint(RunDirectory run, EncoderDecoderModel model, Linear objectnessHead,
            List<TrainingHook> hooks, AdamW optimizer, DetectionDataset data, long step) {
        Path dir = run.checkpoint(step);
        ModelBundle bundle = new ModelBundle(config, data.classNames(), data.categoryIds(), step);
        AtomicFiles.writeDirectory(dir, temp -> {
            bundle.writeInto(temp, model);
            if (!hooks.isEmpty()) {
                try (DataOutputStream stream = new DataOutputStream(
                        new BufferedOutputStream(Files.newOutputStream(temp.resolve(HOOKS_FILE))))) {
                    for (TrainingHook hook : hooks) {
                        hook.save(stream);
                    }
                }
            }
            if (objectnessHead != null) {
                try (DataOutputStream stream = new DataOutputStream(
                        new BufferedOutputStream(Files.newOutputStream(temp.resolve(OBJECTNESS_FILE))))) {
                    objectnessHead.saveParameters(stream);
                }
            }
            try (DataOutputStream stream = new DataOutputStream(
                    new BufferedOutputStream(Files.newOutputStream(temp.resolve(OPTIMIZER_FILE))))) {
                optimizer.save(stream);
            }
        });
        run.markLatest(dir);
    }

    private static void loadHooks(Path file, List<TrainingHook> hooks) {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            DataInputStream stream = new DataInputStream(in);
            for (TrainingHook hook : hooks) {
                hook.load(stream);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot resume from " + file + ": " + e.getMessage(), e);
        }
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

    private static void loadBlock(Path file, ai.djl.nn.Block block, NDManager manager) {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            block.loadParameters(manager, new DataInputStream(in));
        } catch (IOException | ai.djl.MalformedModelException e) {
            throw new IllegalArgumentException("cannot resume from " + file + ": " + e.getMessage(), e);
        }
    }

    private static void loadOptimizer(Path checkpoint, AdamW optimizer) {
        Path file = checkpoint.resolve(OPTIMIZER_FILE);
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            optimizer.load(new DataInputStream(in));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot resume from " + file + ": " + e.getMessage(), e);
        }
    }

    private static void appendMetrics(RunDirectory run, long step, double loss, double lr, double rate) {
        try {
            Files.createDirectories(run.root());
            boolean fresh = !Files.exists(run.metrics());
            String line = (fresh ? "step,loss,learning_rate,images_per_second\n" : "")
                    + String.format(Locale.ROOT, "%d,%.6f,%.6e,%.2f%n", step, loss, lr, rate);
            Files.writeString(run.metrics(), line, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + run.metrics() + ": " + e.getMessage(), e);
        }
    }
}
