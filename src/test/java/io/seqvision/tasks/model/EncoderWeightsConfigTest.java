package io.seqvision.tasks.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
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
    }

    @Test
    void preprocessingUsesTheConfiguredNormalisation() {
        PixelNormalization half = new PixelNormalization(new float[] {0.5f, 0.5f, 0.5f}, new float[] {0.25f, 0.5f, 1f});
        assertEquals((255 / 255f - 0.5f) / 0.25f, 255 * half.scale(0) - half.shift(0), 1e-6f);
        assertEquals((0 - 0.5f) / 1f, 0 * half.scale(2) - half.shift(2), 1e-6f);
        new ImageInput(64, half); // accepted
    }

    @Test
    void encoderWeightsLoadTheCheckpointAndDropItsHead(@TempDir Path dir) throws IOException {
        SeqVisionConfig config = TrainingFixtures.tinyConfig(dir, 4, 0.1);
        ModelConfig base = config.model();
        ModelConfig withWeights = new ModelConfig(base.encoder(), base.imageSize(), base.decoder(),
                CONVNEXT_PTH.toString(), null, null);
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
                    dir.resolve("nope.pth").toString(), null, null);
            String message = assertThrows(ConfigException.class,
                    () -> ModelFactory.loadEncoderWeights(missing, model)).getMessage();
            assertTrue(message.contains("model.encoder_weights") && message.contains("nope.pth"), message);
        }
    }
}
