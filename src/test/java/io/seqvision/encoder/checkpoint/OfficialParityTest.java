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
import io.seqvision.encoder.hornet.SpatialMixer;
import io.seqvision.encoder.internimage.InternImageVariants;
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

    /**
     * HorNet GF at test size: stage 3's global filter stores the official 14x8 frequencies, which
     * the 4x4 map of a 64 px input (spectrum 4x3) interpolates; stage 4's stores 2x2, its map's
     * spectrum, and is used as it is.
     */
    @Test
    void hornetGlobalFilterFromModelFp16PthAndSafetensors() throws IOException {
        Supplier<HierarchicalEncoder> model =
                () -> HorNetVariants.tinyBuilder()
                        .optMixers(
                                SpatialMixer.depthwise7x7(),
                                SpatialMixer.depthwise7x7(),
                                SpatialMixer.globalFilter(14, 8),
                                SpatialMixer.globalFilter(2, 2))
                        .optNumClasses(10)
                        .build();
        assertEquals("model", checkParity("hornet_gf", ".pth", model).wrapperKey());
        checkParity("hornet_gf", ".safetensors", model);
    }

    /**
     * InternImage (DCNv3) at test size against the official model built with the pure-PyTorch
     * DCNv3 core; stage outputs are channels-last, as the official levels return them.
     */
    @Test
    void internImageFromModelPthAndBf16Safetensors() throws IOException {
        Supplier<HierarchicalEncoder> model = () -> InternImageVariants.tinyBuilder().optNumClasses(10).build();
        assertEquals("model", checkParity("internimage", ".pth", model).wrapperKey());
        checkParity("internimage", ".safetensors", model);
    }

    /**
     * InternImage-L/XL's structure at test size: post-norm layers (no LayerNorm ending a level),
     * layer scales, offset scale 2.
     */
    @Test
    void internImagePostNormWithLayerScaleFromModelEmaFp16Pth() throws IOException {
        Supplier<HierarchicalEncoder> model =
                () -> InternImageVariants.tinyBuilder()
                        .optPostNorm(true)
                        .optLayerScale(1e-5)
                        .optOffsetScale(2.0)
                        .optNumClasses(10)
                        .build();
        assertEquals("model_ema", checkParity("internimage_postnorm", ".pth", model).wrapperKey());
        checkParity("internimage_postnorm", ".safetensors", model);
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
