package io.seqvision.encoder.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.seqvision.encoder.common.HierarchicalEncoder;
import io.seqvision.encoder.convnext.ConvNeXtVariants;
import io.seqvision.encoder.hornet.HorNetVariants;
import io.seqvision.encoder.replknet.RepLKNetVariants;
import io.seqvision.encoder.slak.SLaKVariants;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Outputs of seqvision's encoders against the official PyTorch code (fp64) with the same weights,
 * loaded through the public importer from the files the official code wrote (.pth and
 * safetensors, the name variants users meet). Fixtures: src/test/python/encoder_parity_fixtures.py.
 * Error per stage: max |ours - official| / max |official|.
 */
class OfficialParityTest {

    static final Path FIXTURES = Path.of("src/test/resources/parity");
    private static final double TOLERANCE = 1e-5;
    private static final Shape INPUT = new Shape(1, 3, 64, 64);

    @Test
    void convnextFromPthUnderModelAndTimmSafetensors() throws IOException {
        ImportReport pth = checkParity("convnext", ".pth", () -> ConvNeXtVariants.tinyBuilder().optNumClasses(10).build());
        assertEquals("model", pth.wrapperKey());
        ImportReport timm =
                checkParity("convnext", ".safetensors", () -> ConvNeXtVariants.tinyBuilder().optNumClasses(10).build());
        assertTrue(timm.renamed().contains("stages.1.blocks.0.mlp.fc1.weight -> stages.1.0.pwconv1.weight"),
                timm.renamed().toString());
    }

    @Test
    void slakFromLoRANamesInBf16AndDecomNames() throws IOException {
        ImportReport pth = checkParity("slak", ".pth", () -> SLaKVariants.tinyBuilder().optNumClasses(10).build());
        assertEquals("state_dict", pth.wrapperKey());
        assertTrue(pth.renamed().stream().anyMatch(r -> r.contains(".LoRA1.") && r.contains(".Decom1.")));
        ImportReport decom = checkParity("slak", ".safetensors", () -> SLaKVariants.tinyBuilder().optNumClasses(10).build());
        assertTrue(decom.renamed().isEmpty());
    }

    @Test
    void replknetWithDwRatioFromFp16Pth() throws IOException {
        Supplier<HierarchicalEncoder> model =
                () -> RepLKNetVariants.tinyBuilder().optDwRatio(1.5).optNumClasses(10).build();
        assertEquals(null, checkParity("replknet", ".pth", model).wrapperKey());
        checkParity("replknet", ".safetensors", model);
    }

    @Test
    void hornetFromModelEmaAndBf16Safetensors() throws IOException {
        Supplier<HierarchicalEncoder> model = () -> HorNetVariants.tinyBuilder().optNumClasses(10).build();
        assertEquals("model_ema", checkParity("hornet", ".pth", model).wrapperKey());
        checkParity("hornet", ".safetensors", model);
    }

    private static ImportReport checkParity(
            String family, String extension, Supplier<? extends HierarchicalEncoder> factory) throws IOException {
        StateDict expected = Checkpoints.read(FIXTURES.resolve(family + "-expected.safetensors"));
        try (NDManager manager = NDManager.newBaseManager()) {
            HierarchicalEncoder model = factory.get();
            model.initialize(manager, DataType.FLOAT32, INPUT);
            ImportReport report =
                    CheckpointImporter.load(FIXTURES.resolve(family + extension), (OfficialCheckpoint) model, HeadPolicy.KEEP);
            assertTrue(report.unused().isEmpty(), report.summary());
            ParameterStore ps = new ParameterStore(manager, false);
            NDArray image = manager.create(expected.tensors().get("input").toFloats(), INPUT);
            List<NDArray> stages = model.forwardStages(ps, image, false);
            assertEquals(4, stages.size());
            for (int i = 0; i < 4; i++) {
                assertClose(family + extension + " stage " + i, expected.tensors().get("stage" + i), stages.get(i));
            }
            NDArray logits = model.classify(ps, new NDList(image), false).singletonOrThrow();
            assertClose(family + extension + " logits", expected.tensors().get("logits"), logits);
            return report;
        }
    }

    private static void assertClose(String what, CheckpointTensor official, NDArray ours) throws IOException {
        assertEquals(new Shape(official.shape()), ours.getShape(), what);
        float[] reference = official.toFloats();
        float[] actual = ours.toFloatArray();
        double maxDiff = 0;
        double maxRef = 0;
        for (int i = 0; i < reference.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs((double) actual[i] - reference[i]));
            maxRef = Math.max(maxRef, Math.abs(reference[i]));
        }
        double relative = maxDiff / maxRef;
        System.out.printf("parity %s: max relative error %.2e%n", what, relative);
        assertTrue(relative < TOLERANCE, what + ": relative error " + relative);
    }
}
