package io.seqvision.encoder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;

import io.seqvision.encoder.convnext.ConvNeXtVariants;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Set;
import java.util.stream.Stream;

class EncoderRegistryTest {

    /** Every registered name but the two RepLKNet giants (172M and 335M parameters: -Pheavy). */
    static Stream<String> registeredNames() {
        return EncoderRegistry.defaults().names().stream().filter(name -> !isGiant(name));
    }

    static Stream<String> giantNames() {
        return EncoderRegistry.defaults().names().stream().filter(EncoderRegistryTest::isGiant);
    }

    private static boolean isGiant(String name) {
        return name.equals("replknet-31l") || name.equals("replknet-xl");
    }

    @org.junit.jupiter.api.Tag("heavy")
    @ParameterizedTest
    @MethodSource("giantNames")
    void giantsForwardMatchesReportedChannelsAndStride(String name) {
        forwardMatchesReportedChannelsAndStride(name);
    }

    /**
     * Every registered encoder, on the smallest input that gives a 2x2 feature map (so that even
     * the paper-sized variants run in a moment), reports the shape it produces.
     */
    @ParameterizedTest
    @MethodSource("registeredNames")
    void forwardMatchesReportedChannelsAndStride(String name) {
        Encoder encoder = EncoderRegistry.defaults().create(name);
        int stride = encoder.outputStride();
        assertTrue(stride >= 1 && Integer.bitCount(stride) == 1, name + " stride " + stride);
        Shape input = new Shape(1, 3, 2L * stride, 2L * stride);
        try (NDManager manager = NDManager.newBaseManager()) {
            encoder.initialize(manager, DataType.FLOAT32, input);
            NDArray out =
                    encoder.forward(
                                    new ParameterStore(manager, false),
                                    new NDList(manager.randomNormal(input)),
                                    false)
                            .singletonOrThrow();
            assertEquals(new Shape(1, encoder.outputChannels(), 2, 2), out.getShape(), name);
        }
    }

    @Test
    void defaultsHoldTheConvNeXtVariantsAndCreateFreshInstances() {
        EncoderRegistry registry = EncoderRegistry.defaults();
        Set<String> names = registry.names();
        assertTrue(
                names.containsAll(Set.of("convnext-t", "convnext-test", "convnext-s16-small")),
                names.toString());
        assertTrue(names.stream().noneMatch(n -> n.endsWith("-tiny")), "no name mistakable for a paper's T: " + names);
        assertNotSame(registry.create("convnext-test"), registry.create("convnext-test"));
        assertEquals(768, registry.create("convnext-t").outputChannels());
        assertEquals(32, registry.create("convnext-t").outputStride());
        assertEquals(64, registry.create("convnext-tiny").outputChannels());
        assertEquals(16, registry.create("convnext-s16-small").outputStride());
        assertEquals(192, registry.create("convnext-s16-small").outputChannels());
    }

    @Test
    void formerTinyNamesOfSavedConfigsStillBuildTheTestVariants() {
        EncoderRegistry registry = EncoderRegistry.defaults();
        for (String family : new String[] {"convnext", "replknet", "slak", "hornet", "internimage", "pelk"}) {
            assertTrue(registry.contains(family + "-tiny"), family);
            assertEquals(registry.create(family + "-test").outputChannels(),
                    registry.create(family + "-tiny").outputChannels(), family);
        }
        assertThrows(IllegalArgumentException.class, () -> registry.register("convnext-tiny", ConvNeXtVariants::tiny));
    }

    @Test
    void duplicateNameThrows() {
        EncoderRegistry registry = new EncoderRegistry();
        ConvNeXtVariants.registerAll(registry);
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> registry.register("convnext-tiny", ConvNeXtVariants::tiny));
        assertTrue(e.getMessage().contains("convnext-tiny"), e.getMessage());
    }

    @Test
    void unknownNameListsTheValidNames() {
        EncoderRegistry registry = EncoderRegistry.defaults();
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> registry.create("convnext-xxl"));
        assertTrue(e.getMessage().contains("convnext-xxl"), e.getMessage());
        for (String name : registry.names()) {
            assertTrue(e.getMessage().contains(name), e.getMessage() + " lacks " + name);
        }
    }
}
