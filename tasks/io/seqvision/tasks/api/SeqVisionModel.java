package io.seqvision.tasks.api;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.seqvision.decoder.EncoderDecoderModel;
import io.seqvision.decoder.generate.GeneratedSequence;
import io.seqvision.decoder.generate.GenerationOptions;
import io.seqvision.decoder.generate.GenerationResult;
import io.seqvision.decoder.generate.Generator;
import io.seqvision.decoder.generate.TokenConstraint;
import io.seqvision.encoder.EncoderRegistry;
import io.seqvision.tasks.data.ImagePreprocessor;
import io.seqvision.tasks.detection.DetectionSetup;
import io.seqvision.tasks.model.ModelBundle;
import io.seqvision.tokenizers.Vocabulary;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

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
 * <p>Tasks: detection only for now. Instance segmentation, keypoints and captioning come with the
 * multi-task models (the multi-task issue), which add {@code segment}, {@code keypoints} and
 * {@code caption} here; until then {@link #generate} gives raw token access for experiments.
 *
 * <p>Thread safety: safe for concurrent use from several threads. Each call works in its own
 * {@link NDManager} with its own parameter store and a fresh sampler; the network's parameters are
 * frozen (no gradients) and only read. Concurrent calls give the same results as the same calls
 * made one after another. {@link #close()} waits for calls in flight, then frees the parameters;
 * a call after close throws {@link IllegalStateException}.
 */
public final class SeqVisionModel implements AutoCloseable {

    private final Path directory;
    private final ModelBundle bundle;
    private final DetectionSetup setup;
    private final NDManager manager;
    private final EncoderDecoderModel network;
    private final ImagePreprocessor preprocessor;
    private final DecodingOptions defaults;
    private final ReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private boolean closed;

    private SeqVisionModel(Path directory, ModelBundle bundle, NDManager manager, EncoderDecoderModel network) {
        this.directory = directory;
        this.bundle = bundle;
        this.setup = bundle.setup();
        this.manager = manager;
        this.network = network;
        this.preprocessor = new ImagePreprocessor(bundle.config().model().imageSize());
        this.defaults = DecodingOptions.fromConfig(bundle.config().eval(), bundle.config().seed());
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
        Objects.requireNonNull(modelDir, "modelDir");
        ModelBundle bundle = ModelBundle.read(modelDir);
        NDManager manager = NDManager.newBaseManager();
        try {
            EncoderDecoderModel network = bundle.instantiate(modelDir, encoders, manager);
            network.freezeParameters(true);
            return new SeqVisionModel(modelDir, bundle, manager, network);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
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
        return preprocessor.side();
    }

    /** The token layout, for building prompts for {@link #generate}. */
    public Vocabulary vocabulary() {
        return setup.vocabulary();
    }

    /** The decoding the model's config asks for, used when no options are given. */
    public DecodingOptions defaultDecoding() {
        return defaults;
    }

    /** The detection grammar (see {@code BoxTokenizer.allowedNext}), for use with {@link #generate}. */
    public TokenConstraint detectionGrammar() {
        return setup.task()::allowedNext;
    }

    /** Detects objects in an image with the config's decoding. */
    public DetectionResult detect(BufferedImage image) {
        return detect(image, defaults);
    }

    /** Detects objects in an image file (any format {@code ImageIO} reads) with the config's decoding. */
    public DetectionResult detect(Path imageFile) {
        return detect(ImagePreprocessor.read(imageFile), defaults);
    }

    /** Detects objects in an image. */
    public DetectionResult detect(BufferedImage image, DecodingOptions options) {
        return detectAll(List.of(image), options).get(0);
    }

    /**
     * Detects objects in several images in one batch (faster per image than one call each).
     *
     * @return one result per image, in order
     */
    public List<DetectionResult> detectAll(List<BufferedImage> images, DecodingOptions options) {
        Objects.requireNonNull(options, "options");
        int[][] prompts = new int[images.size()][];
        for (int i = 0; i < prompts.length; i++) {
            prompts[i] = setup.task().prompt(List.of());
        }
        int budget = options.maxNewTokens() > 0
                ? options.maxNewTokens()
                : setup.task().tokenizer().maxResponseLength();
        GenerationResult result = run(images, prompts, options, budget, detectionGrammar());
        List<DetectionResult> detections = new ArrayList<>(images.size());
        for (int i = 0; i < images.size(); i++) {
            Generation generation = toGeneration(result.sequence(i));
            BufferedImage image = images.get(i);
            detections.add(DetectionResult.fromNormalized(
                    setup.task().decode(generation.tokens(), generation.probabilities()),
                    bundle.classNames(), image.getWidth(), image.getHeight(), generation));
        }
        return detections;
    }

    /**
     * Generates tokens after an arbitrary prompt, without a grammar: the lower-level access under
     * {@link #detect}.
     *
     * @param prompt token ids (see {@link #vocabulary()}), at least one
     * @throws IllegalArgumentException if the prompt holds ids outside the vocabulary or the length
     *     budget exceeds the decoder's maximum length
     */
    public Generation generate(BufferedImage image, int[] prompt, DecodingOptions options) {
        return generate(image, prompt, options, TokenConstraint.UNCONSTRAINED);
    }

    /** Generates tokens after a prompt, masking at each step the tokens {@code constraint} forbids. */
    public Generation generate(
            BufferedImage image, int[] prompt, DecodingOptions options, TokenConstraint constraint) {
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(options, "options");
        int budget = options.maxNewTokens() > 0
                ? options.maxNewTokens()
                : Math.max(1, network.decoder().maxLength() - prompt.length + 1);
        GenerationResult result = run(List.of(image), new int[][] {prompt}, options, budget, constraint);
        return toGeneration(result.sequence(0));
    }

    private GenerationResult run(
            List<BufferedImage> images, int[][] prompts, DecodingOptions options, int budget,
            TokenConstraint constraint) {
        if (images.isEmpty()) {
            throw new IllegalArgumentException("no images given");
        }
        int side = preprocessor.side();
        float[] pixels = new float[images.size() * 3 * side * side];
        for (int i = 0; i < images.size(); i++) {
            BufferedImage image = Objects.requireNonNull(images.get(i), "image " + i);
            preprocessor.normalizeInto(preprocessor.toPlanarRgb(image), false, pixels, i);
        }
        GenerationOptions generation = new GenerationOptions(
                budget, Vocabulary.EOS, options.newSampler(), constraint, options.keyValueCache());
        lifecycle.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException("the model from " + directory + " has been closed");
            }
            try (NDManager call = manager.newSubManager()) {
                NDArray batch = call.create(pixels, new Shape(images.size(), 3, side, side));
                return Generator.generate(network, new ParameterStore(call, false), batch, prompts, generation);
            }
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    private static Generation toGeneration(GeneratedSequence sequence) {
        return new Generation(sequence.tokens(), sequence.probabilities(), sequence.ended());
    }

    /** Waits for calls in flight, then frees the model's parameters. Idempotent. */
    @Override
    public void close() {
        lifecycle.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                manager.close();
            }
        } finally {
            lifecycle.writeLock().unlock();
        }
    }
}
