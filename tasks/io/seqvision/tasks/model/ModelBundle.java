package io.seqvision.tasks.model;

import io.seqvision.tasks.data.ImageInput;
import io.seqvision.tasks.data.PixelNormalization;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.seqvision.decoder.EncoderDecoderModel;
import io.seqvision.encoder.EncoderRegistry;
import io.seqvision.tasks.config.ConfigLoader;
import io.seqvision.tasks.config.CaptioningConfig;
import io.seqvision.tasks.config.SeqVisionConfig;
import io.seqvision.tasks.config.TasksConfig;
import io.seqvision.tasks.storage.AtomicFiles;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A trained model on disk, everything needed to use it again: {@code config.yaml} (the run's
 * effective config), {@code bundle.json} (class names, their COCO category ids, the step) and
 * {@code model.params} (DJL's parameter format), and for captioning models {@code
 * caption-tokenizer.json} (a copy of the tokenizer trained with: a bundle read back points its
 * config there, so the directory stands alone).
 */
public record ModelBundle(SeqVisionConfig config, List<String> classNames, List<Integer> categoryIds, long step) {

    public static final String CONFIG_FILE = "config.yaml";
    public static final String META_FILE = "bundle.json";
    public static final String PARAMS_FILE = "model.params";
    public static final String CAPTION_TOKENIZER_FILE = "caption-tokenizer.json";

    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    public ModelBundle {
        classNames = List.copyOf(classNames);
        categoryIds = List.copyOf(categoryIds);
    }

    private record Meta(List<String> classNames, List<Integer> categoryIds, long step) {}

    /** Writes config, metadata and parameters into {@code dir} (an existing or new directory). */
    public void writeInto(Path dir, EncoderDecoderModel model) throws IOException {
        Files.writeString(dir.resolve(CONFIG_FILE), ConfigLoader.toYaml(config));
        if (config.tasks().captioning().task().enabled()) {
            Path tokenizer = Path.of(config.tasks().captioning().tokenizer());
            Path copy = dir.resolve(CAPTION_TOKENIZER_FILE);
            if (!tokenizer.toAbsolutePath().normalize().equals(copy.toAbsolutePath().normalize())) {
                Files.copy(tokenizer, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        JSON.writerWithDefaultPrettyPrinter()
                .writeValue(dir.resolve(META_FILE).toFile(), new Meta(classNames, categoryIds, step));
        try (DataOutputStream out = new DataOutputStream(
                new BufferedOutputStream(Files.newOutputStream(dir.resolve(PARAMS_FILE))))) {
            model.saveParameters(out);
        }
    }

    /** Writes a complete bundle directory atomically. */
    public void write(Path dir, EncoderDecoderModel model) {
        AtomicFiles.writeDirectory(dir, temp -> writeInto(temp, model));
    }

    /** Reads config and metadata, without parameters. */
    public static ModelBundle read(Path dir) {
        Path meta = dir.resolve(META_FILE);
        if (!Files.isRegularFile(meta)) {
            throw new IllegalArgumentException("not a seqvision model directory (no " + META_FILE + "): " + dir);
        }
        SeqVisionConfig config = withBundledTokenizer(ConfigLoader.load(dir.resolve(CONFIG_FILE)), dir);
        try {
            Meta m = JSON.readValue(meta.toFile(), Meta.class);
            return new ModelBundle(config, m.classNames(), m.categoryIds(), m.step());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + meta + ": " + e.getMessage(), e);
        }
    }

    private static SeqVisionConfig withBundledTokenizer(SeqVisionConfig c, Path dir) {
        CaptioningConfig captioning = c.tasks().captioning();
        if (!captioning.task().enabled()) {
            return c;
        }
        Path copy = dir.resolve(CAPTION_TOKENIZER_FILE).toAbsolutePath();
        if (!Files.isRegularFile(copy)) {
            throw new IllegalArgumentException("captioning model without its tokenizer: " + copy + " is missing");
        }
        CaptioningConfig bundled = new CaptioningConfig(captioning.weight(), captioning.lossWeight(),
                copy.toString(), captioning.maxTokens(), captioning.sampling());
        TasksConfig t = c.tasks();
        return new SeqVisionConfig(c.name(), c.seed(), c.outputDir(), c.data(), c.model(), c.tokenizer(),
                new TasksConfig(t.detection(), t.segmentation(), t.keypoints(), bundled), c.training(), c.eval());
    }

    /** Loads saved parameters from {@code dir} into a model built from the same config. */
    public static void loadParameters(Path dir, EncoderDecoderModel model, NDManager manager) {
        Path params = dir.resolve(PARAMS_FILE);
        try (InputStream in = new BufferedInputStream(Files.newInputStream(params))) {
            model.loadParameters(manager, new DataInputStream(in));
        } catch (IOException | MalformedModelException | RuntimeException e) {
            // a cut-off file ends in an EOFException without a message
            String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new IllegalArgumentException("cannot load parameters from " + params + ": the file is missing,"
                    + " truncated or not this model's (" + detail + ")", e);
        }
    }

    /** How images become this model's input: its side and normalisation. */
    public ImageInput imageInput() {
        return imageInput(config);
    }

    /**
     * The image input a config implies, the one place a model's input normalisation is chosen
     * (training and every reader of a trained model ask here): {@code model.image_size} and the
     * config's {@code model.pixel_mean} / {@code pixel_std} ({@link PixelNormalization}; ImageNet's
     * when a config, or a bundle saved before those keys existed, leaves them out).
     */
    public static ImageInput imageInput(SeqVisionConfig config) {
        return new ImageInput(config.model().imageSize(), PixelNormalization.of(config.model()));
    }

    /** The vocabulary and tasks this bundle's model was trained with (close it). */
    public TaskSuite suite() {
        return TaskSuite.of(config, classNames);
    }

    /** Builds the network of {@code dir}'s config and loads its parameters into it. */
    public EncoderDecoderModel instantiate(Path dir, EncoderRegistry encoders, NDManager manager) {
        try (TaskSuite suite = suite()) {
            EncoderDecoderModel model = ModelFactory.create(
                    config.model(), suite.vocabulary(), suite.maxLength(), encoders, manager);
            loadParameters(dir, model, manager);
            return model;
        }
    }
}
