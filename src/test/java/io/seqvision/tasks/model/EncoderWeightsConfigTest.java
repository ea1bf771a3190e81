package io.seqvision.tasks.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.seqvision.decoder.EncoderDecoderModel;
import io.seqvision.encoder.EncoderRegistry;
import io.seqvision.encoder.checkpoint.Checkpoints;
import io.seqvision.encoder.checkpoint.ImportReport;
import io.seqvision.encoder.convnext.ConvNeXt;
import io.seqvision.tasks.config.ConfigException;
import io.seqvision.tasks.config.ConfigLoader;
import io.seqvision.tasks.config.ModelConfig;
import io.seqvision.tasks.config.SeqVisionConfig;
import io.seqvision.tasks.data.ImageInput;
import io.seqvision.tasks.data.PixelNormalization;
import io.seqvision.tasks.training.TrainingFixtures;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EncoderWeightsConfigTest {

    private static final Path CONVNEXT_PTH = Path.of("src/test/resources/parity/convnext.pth");

    @Test
    void configKeysParseAndDefaultToImageNet() {
        SeqVisionConfig defaults = ConfigLoader.defaults();
        assertEquals("", defaults.model().encoderWeights());
        assertEquals(List.of(0.485, 0.456, 0.406), defaults.model().pixelMean());
        assertArrayEquals(PixelNormalization.IMAGENET.std(), PixelNormalization.of(defaults.model()).std());
        SeqVisionConfig set = ConfigLoader.parse(
                "model:\n  encoder_weights: w.pth\n  pixel_mean: [0.5, 0.5, 0.5]\n  pixel_std: [0.25, 0.25, 0.25]\n", "test");
        assertEquals("w.pth", set.model().encoderWeights());
        assertEquals(List.of(0.25, 0.25, 0.25), set.model().pixelStd());
        assertEquals(set, ConfigLoader.parse(ConfigLoader.toYaml(set), "round trip"));
        assertThrows(ConfigException.class,
                () -> ConfigLoader.parse("model:\n  pixel_std: [0.2, 0, 0.2]\n", "test"));
        assertThrows(ConfigException.class,
                () -> ConfigLoader.parse("model:\n  pixel_mean: [0.5, .nan, 0.5]\n", "test"));
    }

    @Test
    void theModelsImageInputNormalisesWithTheConfiguredMeanAndStd() {
        float[] mean = {0.5f, 0.25f, 0.75f};
        float[] std = {0.5f, 0.125f, 2f};
        SeqVisionConfig imageNet = ConfigLoader.parse("model:\n  image_size: 32\n", "test");
        SeqVisionConfig custom = ConfigLoader.parse(ConfigLoader.toYaml(ConfigLoader.parse(
                "model:\n  image_size: 32\n  pixel_mean: [0.5, 0.25, 0.75]\n  pixel_std: [0.5, 0.125, 2.0]\n",
                "test")), "saved bundle config");
        // what training and every reader of a saved bundle (predict, eval, web, DJL, Spark) use
        ImageInput input = new ModelBundle(custom, List.of("a"), List.of(1), 0).imageInput();
        assertEquals(32, input.side());
        assertArrayEquals(mean, input.mean(), 0f);
        assertArrayEquals(std, input.std(), 0f);

        BufferedImage image = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(5);
        for (int y = 0; y < 32; y++) {
            for (int x = 0; x < 32; x++) {
                image.setRGB(x, y, random.nextInt(1 << 24));
            }
        }
        byte[] planar = input.toPlanarRgb(image);
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] values = input.toTensor(manager, List.of(image)).toFloatArray();
            float[] defaults = ModelBundle.imageInput(imageNet).toTensor(manager, List.of(image)).toFloatArray();
            // the default config still gives exactly ImageNet's tensor (the shipped model's input)
            assertArrayEquals(ImageInput.imageNet(32).toTensor(manager, List.of(image)).toFloatArray(), defaults, 0f);
            int plane = 32 * 32;
            for (int c = 0; c < 3; c++) {
                for (int i = 0; i < plane; i++) {
                    int v = planar[c * plane + i] & 0xFF;
                    int at = c * plane + i;
                    // ImageInput's float arithmetic, exactly
                    assertEquals(v * (1f / (255f * std[c])) - mean[c] / std[c], values[at], 0f, "value " + at);
                    // (value / 255 - mean) / std
                    assertEquals((v / 255.0 - mean[c]) / std[c], values[at], 1e-6, "value " + at);
                    // the same pixel under ImageNet's statistics, renormalised
                    double pixel = defaults[at] * ImageInput.IMAGENET_STD[c] + ImageInput.IMAGENET_MEAN[c];
                    assertEquals((pixel - mean[c]) / std[c], values[at], 1e-5, "value " + at);
                }
            }
            assertFalse(Arrays.equals(values, defaults));
        }
    }

    @Test
    void encoderWeightsLoadTheCheckpointAndDropItsHead(@TempDir Path dir) throws IOException {
        SeqVisionConfig config = TrainingFixtures.tinyConfig(dir, 4, 0.1);
        ModelConfig base = config.model();
        ModelConfig withWeights = new ModelConfig(base.encoder(), base.imageSize(), base.decoder(),
                CONVNEXT_PTH.toString(), null, null, null);
        TaskSuite setup = TaskSuite.of(config, List.of("red", "green"));
        try (NDManager manager = NDManager.newBaseManager()) {
            EncoderDecoderModel model = ModelFactory.create(withWeights, setup.vocabulary(), setup.maxLength(),
                    EncoderRegistry.defaults(), manager);
            ImportReport report = ModelFactory.loadEncoderWeights(withWeights, model);
            assertEquals("model", report.wrapperKey());
            assertTrue(report.droppedHead().contains("head.weight"), report.summary());
            float[] expected = Checkpoints.read(CONVNEXT_PTH).tensors().get("stages.2.0.pwconv1.weight").toFloats();
            float[] loaded = ((ConvNeXt) model.encoder()).officialParameters().get("stages.2.0.pwconv1.weight")
                    .getArray().toFloatArray();
            assertArrayEquals(expected, loaded, 0f);

            ModelConfig missing = new ModelConfig(base.encoder(), base.imageSize(), base.decoder(),
                    dir.resolve("nope.pth").toString(), null, null, null);
            String message = assertThrows(ConfigException.class,
                    () -> ModelFactory.loadEncoderWeights(missing, model)).getMessage();
            assertTrue(message.contains("model.encoder_weights") && message.contains("nope.pth"), message);
        }
    }
}
