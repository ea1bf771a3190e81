package io.seqvision.encoder.common;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import io.seqvision.encoder.Encoder;
import io.seqvision.encoder.EncoderRegistry;
import java.io.DataInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Parameters saved before the four ConvNeXt-shaped families shared {@link StagedEncoder} and {@link
 * MixerBlock} (written by the former classes, every parameter drawn from U(-0.5, 0.5), BatchNorm
 * variances from U(0.5, 1.5), so that each one matters) still load and give the outputs the former
 * classes computed.
 */
class FormerFormatTest {

    private static final Path FIXTURES = Path.of("src/test/resources/former-format");

    @ParameterizedTest
    @ValueSource(strings = {"convnext-test", "slak-test", "hornet-test", "pelk-test"})
    void parametersSavedByTheFormerClassesLoadAndGiveTheSameOutputs(String name) throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDList io = NDList.decode(manager, Files.readAllBytes(FIXTURES.resolve(name + ".io")));
            Encoder encoder = EncoderRegistry.defaults().create(name);
            encoder.initialize(manager, DataType.FLOAT32, io.get(0).getShape());
            try (InputStream in = Files.newInputStream(FIXTURES.resolve(name + ".params"))) {
                encoder.loadParameters(manager, new DataInputStream(in));
            }
            float[] out = encoder.forward(new ParameterStore(manager, false), new NDList(io.get(0)), false)
                    .singletonOrThrow().toFloatArray();
            float[] expected = io.get(1).toFloatArray();
            assertEquals(expected.length, out.length);
            assertArrayEquals(expected, out, 1e-6f, name);
        }
    }
}
