package io.seqvision.tasks.api;

import ai.djl.ndarray.NDManager;
import io.seqvision.decoder.EncoderDecoderModel;
import io.seqvision.encoder.EncoderRegistry;
import io.seqvision.tasks.config.ConfigLoader;
import io.seqvision.tasks.config.SeqVisionConfig;
import io.seqvision.tasks.model.TaskSuite;
import io.seqvision.tasks.model.ModelBundle;
import io.seqvision.tasks.model.ModelFactory;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/** Tiny saved models (untrained: freshly initialised) and test images for the API tests. */
public final class ApiFixtures {

    public static final List<String> CLASSES = List.of("square", "disc", "triangle");

    private ApiFixtures() {}

    /** A tiny config whose eval block is {@code evalBlock} (YAML flow mapping). */
    public static SeqVisionConfig config(Path outputDir, String evalBlock) {
        String yaml = """
                name: api-test
                seed: 5
                output_dir: %s
                model:
                  encoder: convnext-tiny
                  image_size: 64
                  decoder: {width: 32, layers: 2, heads: 2, mlp_dim: 64, dropout: 0.0}
                tokenizer: {coord_bins: 32, max_objects: 4}
                tasks: {detection: {sampling: %s}}
                """.formatted(outputDir.toString().replace("\\", "/"), evalBlock);
        return ConfigLoader.parse(yaml, "api-test-config");
    }

    /** Writes a freshly initialised model of {@link #config} into {@code dir/model}; returns that directory. */
    public static Path savedModel(Path dir, String evalBlock) {
        SeqVisionConfig config = config(dir, evalBlock);
        Path modelDir = dir.resolve("model");
        try (NDManager manager = NDManager.newBaseManager(); TaskSuite setup = TaskSuite.of(config, CLASSES)) {
            EncoderDecoderModel model = ModelFactory.create(
                    config.model(), setup.vocabulary(), setup.maxLength(), EncoderRegistry.defaults(), manager);
            new ModelBundle(config, CLASSES, List.of(1, 2, 3), 0).write(modelDir, model);
        }
        return modelDir;
    }

    /** Classes of the multi-task fixture: keypoints belong to "person". */
    public static final List<String> MULTI_TASK_CLASSES = List.of("square", "person");

    /** A freshly initialised model trained for all four tasks, saved into {@code dir/model}. */
    public static Path savedMultiTaskModel(Path dir) {
        SeqVisionConfig config = ConfigLoader.overlay("api-multi-task-config", ConfigLoader.toYaml(config(dir, "{}")),
                """
                tasks:
                  segmentation: {weight: 1.0, max_points: 8}
                  keypoints: {weight: 1.0}
                  captioning: {weight: 1.0, max_tokens: 10}
                """);
        Path modelDir = dir.resolve("model");
        try (NDManager manager = NDManager.newBaseManager();
                TaskSuite suite = TaskSuite.of(config, MULTI_TASK_CLASSES)) {
            EncoderDecoderModel model = ModelFactory.create(
                    config.model(), suite.vocabulary(), suite.maxLength(), EncoderRegistry.defaults(), manager);
            new ModelBundle(config, MULTI_TASK_CLASSES, List.of(1, 2), 0).write(modelDir, model);
        }
        return modelDir;
    }

    /** A non-square image with a few coloured rectangles, different for each seed. */
    public static BufferedImage image(int width, int height, long seed) {
        Random random = new Random(seed);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            g.setColor(new Color(random.nextInt(0x1000000)));
            g.fillRect(0, 0, width, height);
            for (int i = 0; i < 3; i++) {
                g.setColor(new Color(random.nextInt(0x1000000)));
                g.fillRect(random.nextInt(width / 2), random.nextInt(height / 2), width / 3, height / 3);
            }
        } finally {
            g.dispose();
        }
        return image;
    }
}
