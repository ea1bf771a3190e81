package io.seqvision.encoder.convnext;

import io.seqvision.encoder.checkpoint.CheckpointException;
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
import ai.djl.training.ParameterStore;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConvNeXtWeightsTest {

    private static final Shape INPUT = new Shape(1, 3, 64, 64);

    @Test
    void officialNamesFollowTheStateDictOfConvnextPy() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ConvNeXt model = ConvNeXtVariants.tinyBuilder().optNumClasses(10).build();
            model.initialize(manager, DataType.FLOAT32, INPUT);
            Map<String, Parameter> names = model.officialParameters();
            assertEquals(model.getParameters().size() - 2, names.size(), "all but the output norm");
            for (String expected : List.of("downsample_layers.0.0.weight", "downsample_layers.0.1.bias",
                    "downsample_layers.1.0.weight", "downsample_layers.3.1.weight", "stages.0.0.dwconv.weight",
                    "stages.0.0.norm.weight", "stages.2.0.pwconv1.weight", "stages.3.0.pwconv2.bias",
                    "stages.1.0.gamma", "norm.weight", "head.weight", "head.bias")) {
                assertTrue(names.containsKey(expected), expected + " not in " + names.keySet());
            }
            assertEquals(new Shape(16, 1, 7, 7), names.get("stages.0.0.dwconv.weight").getArray().getShape());
            assertEquals(new Shape(32, 16, 2, 2), names.get("downsample_layers.1.1.weight").getArray().getShape());
            assertEquals(new Shape(64, 16), names.get("stages.0.0.pwconv1.weight").getArray().getShape());
        }
    }

    @Test
    void safetensorsWithOfficialNamesLoadsExactly(@TempDir Path dir) throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            ConvNeXt source = ConvNeXtVariants.tinyBuilder().optNumClasses(10).optLayerScaleInit(0.5).build();
            source.initialize(manager, DataType.FLOAT32, INPUT);
            Path file = dir.resolve("convnext.safetensors");
            NDList tensors = new NDList();
            source.officialParameters().forEach((name, parameter) -> {
                NDArray copy = parameter.getArray().duplicate();
                copy.setName(name);
                tensors.add(copy);
            });
            try (OutputStream out = Files.newOutputStream(file)) {
                tensors.encode(out, NDList.Encoding.SAFETENSORS);
            }
            ConvNeXt headless = ConvNeXtVariants.tiny();
            headless.initialize(manager, DataType.FLOAT32, INPUT);
            List<String> unused = ConvNeXtWeights.load(file, headless);
            assertEquals(List.of("head.bias", "head.weight", "norm.bias", "norm.weight"), unused);
            NDArray image = manager.randomNormal(INPUT);
            ParameterStore ps = new ParameterStore(manager, false);
            assertArrayEquals(source.forward(ps, new NDList(image), false).singletonOrThrow().toFloatArray(),
                    headless.forward(ps, new NDList(image), false).singletonOrThrow().toFloatArray(), 1e-6f);

            ConvNeXt wider = ConvNeXt.builder().setDepths(1, 1, 1, 1).setDims(16, 32, 48, 80).build();
            wider.initialize(manager, DataType.FLOAT32, INPUT);
            String message = assertThrows(CheckpointException.class, () -> ConvNeXtWeights.load(file, wider))
                    .getMessage();
            assertTrue(message.contains("convnext.safetensors") && message.contains("has shape"), message);
        }
    }
}
