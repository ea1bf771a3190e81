package io.seqvision.tasks.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.seqvision.decoder.EncoderDecoderModel;
import io.seqvision.encoder.EncoderRegistry;
import io.seqvision.encoder.convnext.ConvNeXt;
import io.seqvision.tasks.config.ConfigException;
import io.seqvision.tasks.config.ConfigLoader;
import io.seqvision.tasks.config.SeqVisionConfig;
import io.seqvision.tasks.training.TrainingFixtures;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EncoderOptionsConfigTest {

    private static final String KERNEL_9 = "model:\n  encoder_options: {kernel_size: 9, drop_path_rate: 0.1}\n";

    @Test
    void optionsParseRoundTripAndALaterLayerReplacesThemWhole() {
        assertEquals(Map.of(), ConfigLoader.defaults().model().encoderOptions());
        SeqVisionConfig set = ConfigLoader.parse(KERNEL_9, "test");
        assertEquals(Map.of("kernel_size", 9, "drop_path_rate", 0.1), set.model().encoderOptions());
        assertEquals(set, ConfigLoader.parse(ConfigLoader.toYaml(set), "round trip"));
        SeqVisionConfig replaced = ConfigLoader.overlay("test", KERNEL_9, "model:\n  encoder_options: {kernels: [7, 7]}\n");
        assertEquals(Map.of("kernels", List.of(7, 7)), replaced.model().encoderOptions());
    }

    @Test
    void theModelIsBuiltWithTheOptionsAndBadOnesNameTheKey(@TempDir Path dir) {
        SeqVisionConfig config = TrainingFixtures.tinyConfig(dir, 2, 0.0, KERNEL_9);
        TaskSuite setup = TaskSuite.of(config, List.of("red", "green"));
        try (NDManager manager = NDManager.newBaseManager()) {
            EncoderDecoderModel model = ModelFactory.create(config.model(), setup.vocabulary(), setup.maxLength(),
                    EncoderRegistry.defaults(), manager);
            assertEquals(9, ((ConvNeXt) model.encoder()).getKernelSize());
            assertEquals(0.1f, ((ConvNeXt) model.encoder()).getDropPathRate(), 1e-7f);
        }
        SeqVisionConfig typo = TrainingFixtures.tinyConfig(dir, 2, 0.0, "model:\n  encoder_options: {kernal_size: 9}\n");
        TaskSuite typoSetup = TaskSuite.of(typo, List.of("red", "green"));
        try (NDManager manager = NDManager.newBaseManager()) {
            String message = assertThrows(ConfigException.class, () -> ModelFactory.create(typo.model(),
                    typoSetup.vocabulary(), typoSetup.maxLength(), EncoderRegistry.defaults(), manager)).getMessage();
            assertTrue(message.startsWith("model.encoder_options of 'convnext-tiny': unknown encoder option 'kernal_size'")
                    && message.contains("kernel_size"), message);
        }
    }

    @Test
    void aBundleKeepsTheOptionsAndLoadsIntoTheModelTheyBuild(@TempDir Path dir) {
        SeqVisionConfig config = TrainingFixtures.tinyConfig(dir, 2, 0.0, KERNEL_9);
        TaskSuite setup = TaskSuite.of(config, List.of("red", "green"));
        try (NDManager manager = NDManager.newBaseManager()) {
            EncoderDecoderModel model = ModelFactory.create(config.model(), setup.vocabulary(), setup.maxLength(),
                    EncoderRegistry.defaults(), manager);
            new ModelBundle(config, List.of("red", "green"), List.of(1, 2), 2).write(dir.resolve("bundle"), model);
        }
        ModelBundle read = ModelBundle.read(dir.resolve("bundle"));
        assertEquals(config.model().encoderOptions(), read.config().model().encoderOptions());
        try (NDManager manager = NDManager.newBaseManager()) {
            EncoderDecoderModel again = ModelFactory.create(read.config().model(), setup.vocabulary(),
                    setup.maxLength(), EncoderRegistry.defaults(), manager);
            ModelBundle.loadParameters(dir.resolve("bundle"), again, manager);
            assertEquals(9, ((ConvNeXt) again.encoder()).getKernelSize());
        }
    }
}
