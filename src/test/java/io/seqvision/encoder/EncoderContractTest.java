package io.seqvision.encoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What every registered encoder promises: finite gradients for every trainable parameter, and a
 * save/load round trip that reproduces its outputs. The default run covers the small variants;
 * the paper-sized ones (tens of millions of parameters) run with {@code -Pheavy}.
 */
class EncoderContractTest {

    static Stream<String> smallEncoders() {
        return EncoderRegistry.defaults().names().stream().filter(name -> !isPaperSized(name));
    }

    static Stream<String> paperSizedEncoders() {
        return EncoderRegistry.defaults().names().stream().filter(EncoderContractTest::isPaperSized);
    }

    static boolean isPaperSized(String name) {
        return name.endsWith("-t") || name.endsWith("-t-gf") || name.startsWith("replknet-") && !name.endsWith("-test");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("smallEncoders")
    void gradientsAreFiniteAndSaveLoadRoundTrips(String name) throws Exception {
        check(name);
    }

    @Tag("heavy")
    @ParameterizedTest(name = "{0}")
    @MethodSource("paperSizedEncoders")
    void paperSizedGradientsAreFiniteAndSaveLoadRoundTrips(String name) throws Exception {
        check(name);
    }

    private static void check(String name) throws Exception {
        EncoderRegistry registry = EncoderRegistry.defaults();
        Encoder encoder = registry.create(name);
        int side = 2 * encoder.outputStride();
        Shape shape = new Shape(2, 3, side, side);
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(11);
            encoder.initialize(manager, DataType.FLOAT32, shape);
            NDArray images = manager.randomNormal(shape);
            for (Pair<String, Parameter> p : encoder.getParameters()) {
                if (p.getValue().requiresGradient()) {
                    p.getValue().getArray().setRequiresGradient(true);
                }
            }
            try (NDManager step = manager.newSubManager();
                    GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray out = encoder.forward(new ParameterStore(step, false), new NDList(images), true)
                        .singletonOrThrow();
                collector.backward(out.mul(step.randomNormal(out.getShape())).sum());
            }
            for (Pair<String, Parameter> p : encoder.getParameters()) {
                if (!p.getValue().requiresGradient()) {
                    continue;
                }
                try (NDArray gradient = p.getValue().getArray().getGradient()) {
                    for (float g : gradient.toFloatArray()) {
                        assertTrue(Float.isFinite(g), name + ": " + p.getKey() + " has a non-finite gradient");
                    }
                }
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            encoder.saveParameters(new DataOutputStream(bytes));
            Encoder loaded = registry.create(name);
            loaded.initialize(manager, DataType.FLOAT32, shape);
            loaded.loadParameters(manager, new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
            ParameterStore ps = new ParameterStore(manager, false);
            assertArrayEquals(
                    encoder.forward(ps, new NDList(images), false).singletonOrThrow().toFloatArray(),
                    loaded.forward(ps, new NDList(images), false).singletonOrThrow().toFloatArray(),
                    1e-5f, name + " after save and load");
        }
    }
}
