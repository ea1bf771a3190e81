package io.seqvision.encoder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.seqvision.encoder.common.MixerBlock;
import io.seqvision.encoder.convnext.ConvNeXt;
import io.seqvision.encoder.hornet.HorNet;
import io.seqvision.encoder.internimage.InternImage;
import io.seqvision.encoder.replknet.RepLKNet;
import io.seqvision.encoder.slak.SLaK;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class EncoderOptionsTest {

    private final EncoderRegistry registry = EncoderRegistry.defaults();

    static Stream<String> registeredNames() {
        return EncoderRegistry.defaults().names().stream();
    }

    /** Every variant takes a drop path rate from a config, and it reaches the last block. */
    @ParameterizedTest
    @MethodSource("registeredNames")
    void everyEncoderTakesADropPathRate(String name) {
        assertTrue(registry.optionKeys(name).contains("drop_path_rate"), name + " " + registry.optionKeys(name));
        Encoder encoder = registry.create(name, EncoderOptions.of(Map.of("drop_path_rate", 0.3)));
        if (encoder instanceof io.seqvision.encoder.common.StagedEncoder staged) {
            assertEquals(0.3f, staged.getDropPathRate(), 1e-7f, name);
        }
        assertThrows(IllegalArgumentException.class,
                () -> registry.create(name, EncoderOptions.of(Map.of("drop_path_rate", 1.5))), name);
    }

    @Test
    void convNeXtOptionsChangeKernelDropPathAndLayerScale() {
        ConvNeXt model = (ConvNeXt) registry.create("convnext-test",
                EncoderOptions.of(Map.of("kernel_size", 9, "drop_path_rate", 0.2, "layer_scale_init", 0)));
        assertEquals(9, model.getKernelSize());
        List<MixerBlock<ai.djl.nn.convolutional.Conv2d>> blocks = model.getBlocks();
        assertEquals(0.2f, blocks.get(blocks.size() - 1).getDropPathRate(), 1e-7f);
        assertEquals(0f, blocks.get(0).getLayerScaleInit());
        try (NDManager manager = NDManager.newBaseManager()) {
            model.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 64, 64));
            assertEquals(new Shape(16, 1, 9, 9),
                    model.officialParameters().get("stages.0.0.dwconv.weight").getArray().getShape());
            assertFalse(model.officialParameters().containsKey("stages.0.0.gamma"));
        }
    }

    @Test
    void familyOptionsReachTheirBuilders() {
        RepLKNet replknet = (RepLKNet) registry.create("replknet-test",
                EncoderOptions.of(Map.of("dw_ratio", 1.5, "kernels", List.of(13, 11, 9, 7))));
        assertEquals(List.of(13, 11, 9, 7), List.of(boxed(replknet.getKernels())));
        try (NDManager manager = NDManager.newBaseManager()) {
            replknet.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 64, 64));
            // RepLKNet-31L/XL's dw_ratio 1.5: the large-kernel branch runs on int(16 * 1.5) = 24 channels
            assertEquals(new Shape(24, 1, 13, 13), replknet.officialParameters()
                    .get("stages.0.blocks.0.large_kernel.lkb_origin.conv.weight").getArray().getShape());
        }
        SLaK slak = (SLaK) registry.create("slak-test",
                EncoderOptions.of(Map.of("kernels", List.of(21, 19, 17, 13), "depthwise_path", "fft")));
        assertEquals(21, slak.getKernels()[0]);
        HorNet hornet = (HorNet) registry.create("hornet-test", EncoderOptions.of(Map.of("orders", List.of(2, 2, 3, 3))));
        assertEquals(List.of(2, 2, 3, 3), List.of(boxed(hornet.getOrders())));
        InternImage internImage = (InternImage) registry.create("internimage-test",
                EncoderOptions.of(Map.of("post_norm", true, "layer_scale_init", 1e-5)));
        assertTrue(internImage.toString().length() > 0);
    }

    @Test
    void badOptionsNameTheKeyAndTheValidOnes() {
        String unknown = assertThrows(IllegalArgumentException.class,
                () -> registry.create("convnext-test", EncoderOptions.of(Map.of("kernal_size", 9)))).getMessage();
        assertTrue(unknown.contains("'kernal_size'") && unknown.contains(", kernel_size")
                        && unknown.contains("drop_path_rate"), unknown);
        String type = assertThrows(IllegalArgumentException.class,
                () -> registry.create("convnext-test", EncoderOptions.of(Map.of("kernel_size", 8.5)))).getMessage();
        assertTrue(type.contains("'kernel_size'") && type.contains("whole number") && type.contains("8.5"), type);
        String even = assertThrows(IllegalArgumentException.class,
                () -> registry.create("convnext-test", EncoderOptions.of(Map.of("kernel_size", 8)))).getMessage();
        assertTrue(even.contains("kernel size") && even.contains("8"), even);
        String choice = assertThrows(IllegalArgumentException.class,
                () -> registry.create("slak-test", EncoderOptions.of(Map.of("depthwise_path", "gpu")))).getMessage();
        assertTrue(choice.contains("auto, direct, fft"), choice);
        String list = assertThrows(IllegalArgumentException.class,
                () -> registry.create("slak-test", EncoderOptions.of(Map.of("kernels", 51)))).getMessage();
        assertTrue(list.contains("'kernels'") && list.contains("one per stage"), list);
        String stages = assertThrows(IllegalArgumentException.class,
                () -> registry.create("slak-test", EncoderOptions.of(Map.of("kernels", List.of(51, 49))))).getMessage();
        assertTrue(stages.contains("one kernel per stage (4)") && stages.contains("[51, 49]"), stages);
        String none = assertThrows(IllegalArgumentException.class,
                () -> new EncoderRegistry().register("plain", () -> registry.create("convnext-test"))
                        .create("plain", EncoderOptions.of(Map.of("kernel_size", 9)))).getMessage();
        assertTrue(none.contains("takes none"), none);
    }

    @Test
    void optionsAreComparedByValue() {
        assertEquals(EncoderOptions.of(Map.of("a", 1, "b", List.of(2))), EncoderOptions.of(Map.of("b", List.of(2), "a", 1)));
        assertTrue(EncoderOptions.of(Map.of()).isEmpty());
    }

    private static Integer[] boxed(int[] values) {
        return java.util.Arrays.stream(values).boxed().toArray(Integer[]::new);
    }
}
