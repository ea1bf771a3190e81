package io.seqvision.encoder.internimage;

import io.seqvision.encoder.checkpoint.CheckpointException;
import static io.seqvision.encoder.hornet.ModelTesting.infer;
import static io.seqvision.encoder.hornet.ModelTesting.randomize;
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
import java.util.Random;

class InternImageWeightsTest {

    private static final Shape INPUT = new Shape(1, 3, 64, 64);

    @Test
    void officialNamesFollowTheStateDictOfInternImagePy() {
        try (NDManager manager = NDManager.newBaseManager()) {
            InternImage model = InternImageVariants.tinyBuilder().optNumClasses(10).build();
            model.initialize(manager, DataType.FLOAT32, INPUT);
            Map<String, Parameter> names = model.officialParameters();
            assertEquals(model.getParameters().size(), names.size());
            for (String expected :
                    List.of(
                            "patch_embed.conv1.weight",
                            "patch_embed.conv1.bias",
                            "patch_embed.norm1.1.weight",
                            "patch_embed.conv2.weight",
                            "patch_embed.norm2.1.bias",
                            "levels.0.blocks.0.norm1.0.weight",
                            "levels.0.blocks.0.dcn.input_proj.weight",
                            "levels.0.blocks.0.dcn.dw_conv.0.weight",
                            "levels.0.blocks.0.dcn.dw_conv.0.bias",
                            "levels.0.blocks.0.dcn.dw_conv.1.1.weight",
                            "levels.0.blocks.0.dcn.offset.weight",
                            "levels.0.blocks.0.dcn.mask.bias",
                            "levels.0.blocks.0.dcn.output_proj.bias",
                            "levels.0.blocks.0.norm2.0.bias",
                            "levels.0.blocks.0.mlp.fc1.weight",
                            "levels.0.blocks.0.mlp.fc2.bias",
                            "levels.0.norm.0.weight",
                            "levels.0.downsample.conv.weight",
                            "levels.0.downsample.norm.1.weight",
                            "levels.3.norm.0.bias",
                            "conv_head.0.weight",
                            "conv_head.1.0.weight",
                            "conv_head.1.0.running_mean",
                            "conv_head.1.0.running_var",
                            "head.weight",
                            "head.bias")) {
                assertTrue(names.containsKey(expected), expected + " not in " + names.keySet());
            }
            assertTrue(names.keySet().stream().noneMatch(n -> n.startsWith("levels.3.downsample")));
            assertTrue(names.keySet().stream().noneMatch(n -> n.contains("downsample.conv.bias")));
            // level 2: 64 channels, 8 groups
            assertEquals(
                    new Shape(8 * 9 * 2, 64),
                    names.get("levels.2.blocks.0.dcn.offset.weight").getArray().getShape());
        }
    }

    @Test
    void safetensorsWithOfficialNamesLoadsExactly(@TempDir Path dir) throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            InternImage source = InternImageVariants.tinyBuilder().optNumClasses(10).build();
            source.initialize(manager, DataType.FLOAT32, INPUT);
            Random random = new Random(7);
            for (Map.Entry<String, Parameter> entry : source.officialParameters().entrySet()) {
                if (entry.getKey().contains(".offset.") || entry.getKey().contains(".mask.")) {
                    randomize(entry.getValue(), random, 0.2);
                }
            }
            Path file = dir.resolve("internimage.safetensors");
            writeSafetensors(file, source.officialParameters(), name -> true);

            InternImage headless = InternImageVariants.tiny();
            headless.initialize(manager, DataType.FLOAT32, INPUT);
            List<String> unused = InternImageWeights.load(file, headless);
            assertEquals(
                    List.of(
                            "conv_head.0.weight",
                            "conv_head.1.0.bias",
                            "conv_head.1.0.running_mean",
                            "conv_head.1.0.running_var",
                            "conv_head.1.0.weight",
                            "head.bias",
                            "head.weight"),
                    unused);
            NDArray image = manager.randomNormal(INPUT);
            assertArrayEquals(infer(manager, source, image), infer(manager, headless, image));
        }
    }

    @Test
    void missingOrMisshapedTensorsFailNamingThemAndChangeNothing(@TempDir Path dir)
            throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            InternImage source = InternImageVariants.tiny();
            source.initialize(manager, DataType.FLOAT32, INPUT);
            String dropped = "levels.1.blocks.0.dcn.mask.weight";
            Path missing = dir.resolve("missing.safetensors");
            writeSafetensors(missing, source.officialParameters(), name -> !name.equals(dropped));

            InternImage target = InternImageVariants.tiny();
            target.initialize(manager, DataType.FLOAT32, INPUT);
            NDArray image = manager.randomNormal(INPUT);
            float[] before = infer(manager, target, image);
            CheckpointException e =
                    assertThrows(
                            CheckpointException.class,
                            () -> InternImageWeights.load(missing, target));
            assertTrue(e.getMessage().contains(dropped), e.getMessage());
            assertTrue(e.getMessage().contains("missing.safetensors"), e.getMessage());
            assertArrayEquals(before, infer(manager, target, image));

            InternImage moreGroups =
                    InternImage.builder()
                            .setChannels(16)
                            .setDepths(1, 1, 1, 1)
                            .setGroups(4, 4, 8, 16)
                            .build();
            moreGroups.initialize(manager, DataType.FLOAT32, INPUT);
            Path full = dir.resolve("full.safetensors");
            writeSafetensors(full, source.officialParameters(), name -> true);
            CheckpointException shape =
                    assertThrows(
                            CheckpointException.class,
                            () -> InternImageWeights.load(full, moreGroups));
            assertTrue(shape.getMessage().contains("(36, 16)"), shape.getMessage());
            assertTrue(shape.getMessage().contains("(72, 16)"), shape.getMessage());
        }
    }
}
