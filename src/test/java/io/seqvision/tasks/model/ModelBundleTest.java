package io.seqvision.tasks.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.seqvision.decoder.EncoderDecoderModel;
import io.seqvision.encoder.EncoderRegistry;
import io.seqvision.tasks.config.SeqVisionConfig;
import io.seqvision.tasks.training.TrainingFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelBundleTest {

    @Test
    void savedAndReloadedModelGivesIdenticalLogits(@TempDir Path dir) {
        SeqVisionConfig config = TrainingFixtures.tinyConfig(dir, 4, 0.1);
        List<String> classes = List.of("red", "green");
        TaskSuite setup = TaskSuite.of(config, classes);
        Path modelDir = dir.resolve("model");
        try (NDManager manager = NDManager.newBaseManager()) {
            EncoderDecoderModel original = ModelFactory.create(config.model(), setup.vocabulary(),
                    setup.maxLength(), EncoderRegistry.defaults(), manager);
            new ModelBundle(config, classes, List.of(1, 2), 7).write(modelDir, original);

            ModelBundle bundle = ModelBundle.read(modelDir);
            assertEquals(config, bundle.config());
            assertEquals(classes, bundle.classNames());
            assertEquals(7, bundle.step());
            EncoderDecoderModel reloaded = bundle.instantiate(modelDir, EncoderRegistry.defaults(), manager);

            NDArray images = manager.randomNormal(new Shape(2, 3, 64, 64));
            NDArray tokens = manager.randomInteger(0, setup.vocabulary().size(), new Shape(2, 5), DataType.INT64);
            ParameterStore ps = new ParameterStore(manager, false);
            float[] a = original.forward(ps, new NDList(images, tokens), false).singletonOrThrow().toFloatArray();
            float[] b = reloaded.forward(ps, new NDList(images, tokens), false).singletonOrThrow().toFloatArray();
            assertArrayEquals(a, b, 1e-6f, "identical parameters; only the thread schedule of float sums may differ");
        }
    }

    @Test
    void aDirectoryWithoutABundleIsNamed(@TempDir Path dir) {
        String message = assertThrows(IllegalArgumentException.class, () -> ModelBundle.read(dir)).getMessage();
        assertTrue(message.contains(dir.toString()) && message.contains("bundle.json"), message);
    }

    @Test
    void atomicDirectoryWriteLeavesNoTraceWhenItFails(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("out");
        io.seqvision.tasks.storage.AtomicFiles.writeString(dir.resolve("out-sibling.txt"), "x");
        assertThrows(RuntimeException.class, () -> io.seqvision.tasks.storage.AtomicFiles.writeDirectory(target, temp -> {
            Files.writeString(temp.resolve("half.txt"), "half");
            throw new java.io.IOException("disk full");
        }));
        assertTrue(Files.notExists(target));
        try (var files = Files.list(dir)) {
            assertEquals(List.of(dir.resolve("out-sibling.txt")), files.toList());
        }
    }
}
