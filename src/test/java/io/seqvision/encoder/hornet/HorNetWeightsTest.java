package io.seqvision.encoder.hornet;

import io.seqvision.encoder.checkpoint.CheckpointException;
import static io.seqvision.encoder.hornet.ModelTesting.infer;
import static io.seqvision.encoder.hornet.ModelTesting.writeSafetensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

class HorNetWeightsTest {

    private static final Shape INPUT = new Shape(1, 3, 64, 64);

    @Test
    void officialNamesFollowTheStateDictOfHornetPy() {
        try (NDManager manager = NDManager.newBaseManager()) {
            HorNet model = HorNetTest.tinyGlobalFilterBuilder().optNumClasses(10).build();
            model.initialize(manager, DataType.FLOAT32, INPUT);
            Map<String, Parameter> names = model.officialParameters();
            assertEquals(model.getParameters().size() - 2, names.size(), "all but outputNorm");
            for (String expected :
                    List.of(
                            "downsample_layers.0.0.weight",
                            "downsample_layers.0.1.bias",
                            "downsample_layers.1.0.weight",
                            "downsample_layers.3.1.bias",
                            "stages.0.0.norm1.weight",
                            "stages.0.0.gnconv.proj_in.weight",
                            "stages.0.0.gnconv.dwconv.weight",
                            "stages.0.0.gnconv.dwconv.bias",
                            "stages.0.0.gnconv.pws.0.weight",
                            "stages.0.0.gnconv.proj_out.bias",
                            "stages.0.0.norm2.weight",
                            "stages.0.0.pwconv1.weight",
                            "stages.0.0.pwconv2.bias",
                            "stages.0.0.gamma1",
                            "stages.0.0.gamma2",
                            "stages.2.0.gnconv.dwconv.complex_weight",
                            "stages.2.0.gnconv.dwconv.dw.weight",
                            "stages.2.0.gnconv.dwconv.pre_norm.weight",
                            "stages.2.0.gnconv.dwconv.post_norm.bias",
                            "stages.3.0.gnconv.pws.3.bias",
                            "norm.weight",
                            "head.weight",
                            "head.bias")) {
                assertTrue(names.containsKey(expected), expected + " not in " + names.keySet());
            }
            // stage 3 (64 channels, order 4): bundle 8+16+32+64 = 120, half 60
            assertEquals(
                    new Shape(60, 14, 8, 2),
                    names.get("stages.2.0.gnconv.dwconv.complex_weight").getArray().getShape());
            assertEquals(
                    new Shape(64, 32, 1, 1),
                    names.get("stages.3.0.gnconv.pws.2.weight").getArray().getShape());
            assertTrue(names.keySet().stream().noneMatch(n -> n.contains("outputNorm")));
        }
    }

    @Test
    void safetensorsWithOfficialNamesLoadsExactly(@TempDir Path dir) throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            HorNet source = HorNetTest.tinyGlobalFilterBuilder().optNumClasses(10).build();
            source.initialize(manager, DataType.FLOAT32, INPUT);
            Path file = dir.resolve("hornet.safetensors");
            writeSafetensors(file, source.officialParameters(), name -> true);

            HorNet headless = HorNetTest.tinyGlobalFilterBuilder().build();
            headless.initialize(manager, DataType.FLOAT32, INPUT);
            List<String> unused = HorNetWeights.load(file, headless);
            assertEquals(List.of("head.bias", "head.weight", "norm.bias", "norm.weight"), unused);
            NDArray image = manager.randomNormal(INPUT);
            assertArrayEquals(infer(manager, source, image), infer(manager, headless, image));
        }
    }

    @Test
    void missingOrMisshapedTensorsFailNamingThemAndChangeNothing(@TempDir Path dir)
            throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            HorNet source = HorNetTest.tinyGlobalFilterBuilder().build();
            source.initialize(manager, DataType.FLOAT32, INPUT);
            String dropped = "stages.3.0.gnconv.dwconv.complex_weight";
            Path missing = dir.resolve("missing.safetensors");
            writeSafetensors(missing, source.officialParameters(), name -> !name.equals(dropped));

            HorNet target = HorNetTest.tinyGlobalFilterBuilder().build();
            target.initialize(manager, DataType.FLOAT32, INPUT);
            NDArray image = manager.randomNormal(INPUT);
            float[] before = infer(manager, target, image);
            CheckpointException e =
                    assertThrows(
                            CheckpointException.class,
                            () -> HorNetWeights.load(missing, target));
            assertTrue(e.getMessage().contains(dropped), e.getMessage());
            assertTrue(e.getMessage().contains("missing.safetensors"), e.getMessage());
            assertArrayEquals(before, infer(manager, target, image));

            HorNet otherFilter =
                    HorNetVariants.tinyBuilder()
                            .optMixers(
                                    SpatialMixer.depthwise7x7(),
                                    SpatialMixer.depthwise7x7(),
                                    SpatialMixer.globalFilter(14, 8),
                                    SpatialMixer.globalFilter(6, 4))
                            .build();
            otherFilter.initialize(manager, DataType.FLOAT32, INPUT);
            Path full = dir.resolve("full.safetensors");
            writeSafetensors(full, source.officialParameters(), name -> true);
            CheckpointException shape =
                    assertThrows(
                            CheckpointException.class,
                            () -> HorNetWeights.load(full, otherFilter));
            assertTrue(shape.getMessage().contains("(124, 7, 4, 2)"), shape.getMessage());
            assertTrue(shape.getMessage().contains("(124, 6, 4, 2)"), shape.getMessage());
        }
    }
}
