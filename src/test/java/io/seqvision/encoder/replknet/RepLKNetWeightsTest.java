package io.seqvision.encoder.replknet;

import io.seqvision.encoder.checkpoint.CheckpointException;
import static io.seqvision.encoder.replknet.ModelChecks.infer;
import static io.seqvision.encoder.replknet.ModelChecks.randomiseBatchNorms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

class RepLKNetWeightsTest {

    private static final Shape INPUT = new Shape(1, 3, 64, 64);

    @Test
    void officialNamesFollowTheStateDictOfReplknetPy() {
        try (NDManager manager = NDManager.newBaseManager()) {
            RepLKNet model = RepLKNetVariants.tinyBuilder().optNumClasses(10).build();
            model.initialize(manager, DataType.FLOAT32, INPUT);
            Map<String, Parameter> names = model.officialParameters();
            assertEquals(model.getParameters().size(), names.size());
            for (String expected :
                    List.of(
                            "stem.0.conv.weight",
                            "stem.3.bn.running_var",
                            "stages.0.blocks.0.prelkb_bn.weight",
                            "stages.0.blocks.0.pw1.conv.weight",
                            "stages.0.blocks.0.pw1.bn.bias",
                            "stages.0.blocks.0.large_kernel.lkb_origin.conv.weight",
                            "stages.0.blocks.0.large_kernel.lkb_origin.bn.running_mean",
                            "stages.0.blocks.0.large_kernel.small_conv.conv.weight",
                            "stages.0.blocks.0.pw2.bn.weight",
                            "stages.0.blocks.1.preffn_bn.bias",
                            "stages.3.blocks.1.pw2.conv.weight",
                            "transitions.0.0.conv.weight",
                            "transitions.2.1.bn.weight",
                            "norm.running_mean",
                            "head.weight",
                            "head.bias")) {
                assertTrue(names.containsKey(expected), expected + " not in " + names.keySet());
            }
            assertEquals(
                    new Shape(16, 1, 31, 31),
                    names.get("stages.0.blocks.0.large_kernel.lkb_origin.conv.weight")
                            .getArray()
                            .getShape());
            assertEquals(new Shape(10, 64), names.get("head.weight").getArray().getShape());
        }
    }

    @Test
    void safetensorsWithOfficialNamesLoadsExactly(@TempDir Path dir) throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            RepLKNet source = RepLKNetVariants.tinyBuilder().optNumClasses(10).build();
            source.initialize(manager, DataType.FLOAT32, INPUT);
            randomiseBatchNorms(source, 9);
            Path file = dir.resolve("replknet.safetensors");
            NDList tensors = stateDict(source, name -> true);
            NDArray counter = manager.create(new long[] {7});
            counter.setName("stem.0.bn.num_batches_tracked");
            tensors.add(counter);
            write(file, tensors);

            RepLKNet headless = RepLKNetVariants.tiny();
            headless.initialize(manager, DataType.FLOAT32, INPUT);
            List<String> unused = RepLKNetWeights.load(file, headless);
            assertEquals(
                    List.of("head.bias", "head.weight", "norm.bias", "norm.running_mean",
                            "norm.running_var", "norm.weight"),
                    unused);
            NDArray image = manager.randomNormal(INPUT);
            assertArrayEquals(infer(manager, source, image), infer(manager, headless, image));
        }
    }

    @Test
    void missingOrMisshapedTensorsFailNamingThemAndChangeNothing(@TempDir Path dir)
            throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            RepLKNet source = RepLKNetVariants.tiny();
            source.initialize(manager, DataType.FLOAT32, INPUT);
            String dropped = "stages.1.blocks.0.large_kernel.small_conv.bn.weight";
            Path missing = dir.resolve("missing.safetensors");
            write(missing, stateDict(source, name -> !name.equals(dropped)));

            RepLKNet target = RepLKNetVariants.tiny();
            target.initialize(manager, DataType.FLOAT32, INPUT);
            NDArray image = manager.randomNormal(INPUT);
            float[] before = infer(manager, target, image);
            CheckpointException e =
                    assertThrows(
                            CheckpointException.class,
                            () -> RepLKNetWeights.load(missing, target));
            assertTrue(e.getMessage().contains(dropped), e.getMessage());
            assertTrue(e.getMessage().contains("missing.safetensors"), e.getMessage());
            assertArrayEquals(before, infer(manager, target, image));

            RepLKNet wider =
                    RepLKNet.builder()
                            .setKernels(31, 29, 27, 13)
                            .setLayers(1, 1, 1, 1)
                            .setChannels(16, 32, 48, 80)
                            .build();
            wider.initialize(manager, DataType.FLOAT32, INPUT);
            Path full = dir.resolve("full.safetensors");
            write(full, stateDict(source, name -> true));
            CheckpointException shape =
                    assertThrows(CheckpointException.class, () -> RepLKNetWeights.load(full, wider));
            assertTrue(shape.getMessage().contains("(80, 48, 1, 1)"), shape.getMessage());
            assertTrue(shape.getMessage().contains("(64, 48, 1, 1)"), shape.getMessage());
        }
    }

    private static NDList stateDict(RepLKNet model, Predicate<String> keep) {
        NDList list = new NDList();
        for (Map.Entry<String, Parameter> entry : model.officialParameters().entrySet()) {
            if (keep.test(entry.getKey())) {
                NDArray copy = entry.getValue().getArray().duplicate();
                copy.setName(entry.getKey());
                list.add(copy);
            }
        }
        return list;
    }

    private static void write(Path file, NDList tensors) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            tensors.encode(out, NDList.Encoding.SAFETENSORS);
        }
    }
}
