package io.seqvision.tasks.api;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import io.seqvision.decoder.EncoderDecoderModel;
import io.seqvision.decoder.generate.BatchingDecoder;
import io.seqvision.decoder.generate.GeneratedSequence;
import io.seqvision.decoder.generate.GenerationOptions;
import io.seqvision.decoder.generate.GenerationResult;
import io.seqvision.decoder.generate.Generator;
import io.seqvision.decoder.generate.TokenConstraint;
import io.seqvision.encoder.EncoderRegistry;
import io.seqvision.tasks.DecodingOptions;
import io.seqvision.tasks.TaskKind;
import io.seqvision.tasks.data.ImageInput;
import io.seqvision.tasks.model.ModelBundle;
import io.seqvision.tasks.model.ShippedModel;
import io.seqvision.tasks.model.TaskSuite;
import io.seqvision.tokenizers.Vocabulary;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;

/**
 * A trained seqvision model, loaded from its directory, ready to detect objects in images.
 *
 * <pre>{@code
 * try (SeqVisionModel model = SeqVisionModel.load(Path.of("runs/shapes-detection/model"))) {
 *     DetectionResult result = model.detect(Path.of("street.jpg"));
 *     for (Detection d : result.detections()) {
 *         System.out.printf("%s %.2f at (%.0f, %.0f)-(%.0f, %.0f)%n",
 *                 d.className(), d.score(), d.xmin(), d.ymin(), d.xmax(), d.ymax());
 *     }
 * }
 * }</pre>
 *
 * <p>Images of any size are resized to the model's square input side ({@link #imageSize()}),
 * aspect not kept, as in training; boxes come back in pixels of the original image. Decoding is
 * constrained by the detection grammar (four coordinates then a class, repeated), so every output
 * parses. By default it follows the model's config ({@code eval:} block: sampler, top_p, top_k,
 * temperature; seed from {@code seed}); {@link DecodingOptions} overrides it per call.
 *
 * <p>Tasks: those the model was trained for ({@link #tasks()}): {@link #detect}, {@link #segment}
 * (a mask per detected object, prompted by its box and class), {@link #keypoints} (17 COCO points
 * per detected person), {@link #caption}, or several at once with {@link #analyze}, which encodes
 * the image once. {@link #generate} gives raw token access.
 *
 * <p>Thread safety: safe for concurrent use from several threads. Each call works in its own
 * {@link NDManager} with its own parameter store and a fresh sampler; the network's parameters are
 * frozen (no gradients) and only read. Concurrent calls give the same results as the same calls
 * made one after another. {@link #close()} waits for calls in flight, then frees the parameters;
 * a call after close throws {@link IllegalStateException}.
 */
public final class SeqVisionModel implements AutoCloseable {

    private static final String IMAGE_IS_NULL =
            "image is null (was the file read with ImageIO.read, which returns null for an unknown format?)";

    private final Path directory;
    private final ModelBundle bundle;
    private final TaskSuite suite;
    private final MultiTaskPredictor predictor;
    private final NDManager manager;
    private final EncoderDecoderModel network;
    private final ImageInput imageInput;
    private final ReadWriteLock lifecycle = new ReentrantReadWriteLock();
    /** Shares decoding steps between concurrent calls; null when each call decodes alone. */
    private final BatchingDecoder batching;
    private boolean closed;

    private SeqVisionModel(Path directory, ModelBundle bundle, NDManager manager, EncoderDecoderModel network,
            int batchRows) {
        this.directory = directory;
        this.bundle = bundle;
        this.suite = bundle.suite();
        this.manager = manager;
        this.network = network;
        this.imageInput = bundle.imageInput();
        MultiTaskPredictor alone = new MultiTaskPredictor(network, suite, bundle.classNames(), imageInput,
                PoseViews.of(bundle.config().tasks().keypoints()));
        this.batching = batchRows > 0 ? new BatchingDecoder(network, manager, batchRows) : null;
        this.predictor = batching == null ? alone : alone.withBatching(batching);
    }

    /**
     * Loads the model that ships with seqvision (the shapes multi-task model; see {@link ShippedModel}
     * for where it is found).
     *
     * @throws IllegalStateException saying where it looked when there is none
     */
    public static SeqVisionModel load() {
        return load(shippedModelDirectory());
    }

    /**
     * The directory of the model that ships with seqvision, which {@link #load()} loads.
     *
     * @throws IllegalStateException saying where it looked when there is none
     */
    public static Path shippedModelDirectory() {
        return ShippedModel.directory();
    }

    /**
     * Loads a model directory written by training ({@code config.yaml}, {@code bundle.json},
     * {@code model.params}) with the built-in encoders.
     *
     * @throws IllegalArgumentException naming the directory or file if it is not a complete
     *     seqvision model directory, or its parameters do not fit its config
     */
    public static SeqVisionModel load(Path modelDir) {
        return load(modelDir, EncoderRegistry.defaults());
    }

    /** Loads a model directory whose encoder is registered in {@code encoders}. */
    public static SeqVisionModel load(Path modelDir, EncoderRegistry encoders) {
        return load(modelDir, encoders, 0);
    }

    /**
     * Loads a model directory for serving many callers at once: concurrent calls share decoding
     * steps (continuous batching, {@link BatchingDecoder}) instead of each decoding alone, up to
     * {@code maxRows} sequences a step. Greedy results are the tokens each call would get alone;
     * each call keeps its own sampler, grammar and budget. {@link #generate} still decodes alone.
     *
     * @param maxRows the most sequences one decoding step serves, at least 1
     */
    public static SeqVisionModel loadBatching(Path modelDir, int maxRows) {
        if (maxRows < 1) {
            throw new IllegalArgumentException("batching needs at least 1 row a step, got " + maxRows);
        }
        return load(modelDir, EncoderRegistry.defaults(), maxRows);
    }

    private static SeqVisionModel load(Path modelDir, EncoderRegistry encoders, int batchRows) {
        Objects.requireNonNull(modelDir, "modelDir");
        ModelBundle bundle = ModelBundle.read(modelDir);
        NDManager manager = NDManager.newBaseManager();
        try {
            EncoderDecoderModel network = bundle.instantiate(modelDir, encoders, manager);
            network.freezeParameters(true);
            return new SeqVisionModel(modelDir, bundle, manager, network, batchRows);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** The most sequences a shared decoding step serves, or 0 when each call decodes alone. */
    public int batchRows() {
        return batching == null ? 0 : batching.maxRows();
    }

    /** What the shared decoding steps have done (steps, mean rows a step, time), or null without batching. */
    public BatchingDecoder.Counters batchingCounters() {
        return batching == null ? null : batching.counters();
    }

    /** The directory this model was loaded from. */
    public Path directory() {
        return directory;
    }

    /** Class names, indexed by {@link Detection#classIndex()}. */
    public List<String> classNames() {
        return bundle.classNames();
    }

    /** The square side images are resized to before encoding. */
    public int imageSize() {
        return imageInput.side();
    }

    /** The token layout, for building prompts for {@link #generate}. */
    public Vocabulary vocabulary() {
        return suite.vocabulary();
    }

    /** The tasks this model was trained for. */
    public Set<TaskKind> tasks() {
        return suite.trained();
    }

    /** The decoding the model's config asks for detection, used when no options are given. */
    public DecodingOptions defaultDecoding() {
        return suite.detection().decoding();
    }

    /** The decoding the model's config asks for a task. */
    public DecodingOptions defaultDecoding(TaskKind task) {
        return suite.task(task).decoding();
    }

    /** The detection grammar (see {@code BoxTokenizer.allowedNext}), for use with {@link #generate}. */
    public TokenConstraint detectionGrammar() {
        return suite.detection()::allowedNext;
    }

    /** Detects objects in an image with the config's decoding. */
    public DetectionResult detect(BufferedImage image) {
        return detect(image, defaultDecoding());
    }

    /** Detects objects in an image file (any format {@code ImageIO} reads) with the config's decoding. */
    public DetectionResult detect(Path imageFile) {
        return detect(ImageInput.read(imageFile), defaultDecoding());
    }

    /** Detects objects in an image. */
    public DetectionResult detect(BufferedImage image, DecodingOptions options) {
        Objects.requireNonNull(image, IMAGE_IS_NULL);
        return detectAll(List.of(image), options).get(0);
    }

    /**
     * Detects objects in several images in one batch (faster per image than one call each).
     *
     * @return one result per image, in order
     */
    public List<DetectionResult> detectAll(List<BufferedImage> images, DecodingOptions options) {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(images, "images");
        for (int i = 0; i < images.size(); i++) {
            Objects.requireNonNull(images.get(i), "images[" + i + "]: " + IMAGE_IS_NULL);
        }
        suite.requireTrained(TaskKind.DETECTION);
        List<DetectionResult> detections = new ArrayList<>(images.size());
        for (Analysis analysis : predict(images, EnumSet.of(TaskKind.DETECTION), task -> options, () -> { })) {
            detections.add(new DetectionResult(analysis.imageWidth(), analysis.imageHeight(),
                    analysis.objects().stream().map(AnalyzedObject::detection).toList(),
                    analysis.detectionSequence()));
        }
        return detections;
    }

    /** Masks of the objects detected in an image, with the config's decoding. */
    public List<AnalyzedObject> segment(BufferedImage image) {
        return analyze(image, EnumSet.of(TaskKind.DETECTION, TaskKind.SEGMENTATION), null).objects();
    }

    /** Poses of the persons detected in an image (other objects carry no keypoints). */
    public List<AnalyzedObject> keypoints(BufferedImage image) {
        return analyze(image, EnumSet.of(TaskKind.DETECTION, TaskKind.KEYPOINTS), null).objects().stream()
                .filter(o -> !o.keypoints().isEmpty())
                .toList();
    }

    /** A caption of an image, with the config's decoding. */
    public String caption(BufferedImage image) {
        return analyze(image, EnumSet.of(TaskKind.CAPTIONING), null).caption();
    }

    /**
     * Runs several tasks on one image, encoding it once; segmentation and keypoints are prompted
     * by the detected boxes, as in training.
     *
     * @param options one decoding for every task, or null for each task's config defaults
     * @throws IllegalArgumentException when a task is not one this model was trained for
     */
    public Analysis analyze(BufferedImage image, Set<TaskKind> tasks, DecodingOptions options) {
        return analyze(image, tasks, options, () -> { });
    }

    /**
     * As {@link #analyze(BufferedImage, Set, DecodingOptions)}, running {@code beforeEachToken}
     * before every decoding step: a time limit can throw from it to stop decoding at once.
     */
    public Analysis analyze(BufferedImage image, Set<TaskKind> tasks, DecodingOptions options,
            Runnable beforeEachToken) {
        Objects.requireNonNull(image, IMAGE_IS_NULL);
        if (tasks.isEmpty()) {
            throw new IllegalArgumentException("no task asked; this model does " + describeTasks());
        }
        for (TaskKind task : tasks) {
            suite.requireTrained(task);
        }
        return predict(List.of(image), tasks, task -> options != null ? options : suite.task(task).decoding(),
                beforeEachToken).get(0);
    }

    /** Runs the tasks on a batch of images through the one inference path, {@link MultiTaskPredictor}. */
    private List<Analysis> predict(List<BufferedImage> images, Set<TaskKind> tasks,
            Function<TaskKind, DecodingOptions> decoding, Runnable beforeEachToken) {
        if (images.isEmpty()) {
            throw new IllegalArgumentException("no images given");
        }
        List<byte[]> planar = new ArrayList<>(images.size());
        List<ImageFrame> frames = new ArrayList<>(images.size());
        for (int i = 0; i < images.size(); i++) {
            planar.add(imageInput.toPlanarRgb(Objects.requireNonNull(images.get(i), "image " + i)));
            frames.add(ImageFrame.of(images.get(i)));
        }
        lifecycle.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException("the model from " + directory + " has been closed");
            }
            try (NDManager call = manager.newSubManager()) {
                return predictor.predict(new ParameterStore(call, false), planar, frames, tasks, decoding, null,
                        beforeEachToken);
            }
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    /**
     * The text of one caption token (a word or piece), for showing token sequences.
     *
     * @throws IllegalStateException when the model does not caption
     */
    public String tokenText(int token) {
        return suite.captioning().tokenizer().decode(new int[] {token});
    }

    private String describeTasks() {
        return suite.trained().stream().map(TaskKind::id).toList().toString();
    }

    /**
     * Generates tokens after an arbitrary prompt, without a grammar: the lower-level access under
     * {@link #detect}.
     *
     * @param prompt token ids (see {@link #vocabulary()}), at least one
     * @throws IllegalArgumentException if the prompt holds ids outside the vocabulary or the length
     *     budget exceeds the decoder's maximum length
     */
    public GeneratedSequence generate(BufferedImage image, int[] prompt, DecodingOptions options) {
        Objects.requireNonNull(image, IMAGE_IS_NULL);
        return generate(image, prompt, options, TokenConstraint.UNCONSTRAINED);
    }

    /** Generates tokens after a prompt, masking at each step the tokens {@code constraint} forbids. */
    public GeneratedSequence generate(
            BufferedImage image, int[] prompt, DecodingOptions options, TokenConstraint constraint) {
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(options, "options");
        int budget = options.maxNewTokens() > 0
                ? options.maxNewTokens()
                : Math.max(1, network.decoder().maxLength() - prompt.length + 1);
        GenerationResult result = run(List.of(image), new int[][] {prompt}, options, budget, constraint);
        return result.sequence(0);
    }

    private GenerationResult run(
            List<BufferedImage> images, int[][] prompts, DecodingOptions options, int budget,
            TokenConstraint constraint) {
        if (images.isEmpty()) {
            throw new IllegalArgumentException("no images given");
        }
        for (int i = 0; i < images.size(); i++) {
            Objects.requireNonNull(images.get(i), "image " + i);
        }
        GenerationOptions generation = new GenerationOptions(
                budget, Vocabulary.EOS, options.newSampler(), constraint, options.keyValueCache());
        lifecycle.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException("the model from " + directory + " has been closed");
            }
            try (NDManager call = manager.newSubManager()) {
                NDArray batch = imageInput.toTensor(call, images);
                return Generator.generate(network, new ParameterStore(call, false), batch, prompts, generation);
            }
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    /** Waits for calls in flight, then frees the model's parameters. Idempotent. */
    @Override
    public void close() {
        lifecycle.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                if (batching != null) {
                    batching.close();
                }
                manager.close();
                suite.close();
            }
        } finally {
            lifecycle.writeLock().unlock();
        }
    }
}
