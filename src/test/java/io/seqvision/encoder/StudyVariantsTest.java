package io.seqvision.encoder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.seqvision.encoder.convnext.ConvNeXtVariants;
import io.seqvision.encoder.pelk.PeLK;
import io.seqvision.encoder.replknet.RepLKNet;
import io.seqvision.encoder.slak.SLaK;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The encoder study's variants: one per family, matched in parameters, keeping what defines them. */
class StudyVariantsTest {

    static final List<String> STUDY = List.of("convnext-study", "replknet-study", "slak-study", "hornet-study",
            "internimage-study", "pelk-study");
    private static final Set<String> LAYER_SCALE_NAMES = Set.of("gamma", "gamma1", "gamma2", "layerScale");

    @Test
    void everyFamilyHasAStudyVariantWithinTenPercentOfConvNeXtsParametersAtStride16() {
        EncoderRegistry registry = EncoderRegistry.defaults();
        long reference = parameters(registry.create("convnext-study"));
        assertEquals(504_768, reference);
        for (String name : STUDY) {
            Encoder encoder = registry.create(name);
            long count = parameters(encoder);
            assertTrue(Math.abs(count - reference) <= 0.1 * reference, name + " has " + count);
            assertEquals(16, encoder.outputStride(), name);
        }
    }

    @Test
    void noStudyVariantHasALayerScaleForAShortScheduleToSwitchOff() {
        EncoderRegistry registry = EncoderRegistry.defaults();
        for (String name : STUDY) {
            assertEquals(List.of(), layerScales(registry.create(name)), name);
        }
        assertEquals(5, layerScales(ConvNeXtVariants.studyBuilder().optLayerScaleInit(1e-6).build()).size(),
                "with the official recipe's layer scale, one is found per block (1 + 1 + 3) and no norm is taken for one");
    }

    /** The parameters named as layer scales held directly by a block that is not a normalisation. */
    private static List<String> layerScales(Encoder encoder) {
        try (NDManager manager = NDManager.newBaseManager()) {
            encoder.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 128, 128));
            List<String> found = new ArrayList<>();
            collectLayerScales(encoder, found);
            return found;
        }
    }

    private static void collectLayerScales(Block block, List<String> found) {
        if (!block.getClass().getSimpleName().contains("Norm")) {
            for (String name : block.getDirectParameters().keys()) {
                if (LAYER_SCALE_NAMES.contains(name)) {
                    found.add(block.getClass().getSimpleName() + "." + name);
                }
            }
        }
        for (Block child : block.getChildren().values()) {
            collectLayerScales(child, found);
        }
    }

    @Test
    void theLargeKernelFamiliesKeepTheirKernelsScaledToTheFeatureSizes() {
        EncoderRegistry registry = EncoderRegistry.defaults();
        assertArrayEquals(new int[] {17, 17, 15}, ((RepLKNet) registry.create("replknet-study")).getKernels());
        SLaK slak = (SLaK) registry.create("slak-study");
        assertArrayEquals(new int[] {29, 27, 27}, slak.getKernels());
        assertEquals(5, slak.getSmallKernelSize());
        try (NDManager manager = NDManager.newBaseManager()) {
            slak.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 128, 128));
            assertEquals(1, slak.trainingHooks(100).size(), "SLaK trains with dynamic sparsity");
        }
        assertArrayEquals(new int[] {29, 27, 27}, ((PeLK) registry.create("pelk-study")).getKernels());
    }

    private static long parameters(Encoder encoder) {
        try (NDManager manager = NDManager.newBaseManager()) {
            encoder.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 128, 128));
            long count = 0;
            for (Pair<String, Parameter> p : encoder.getParameters()) {
                count += p.getValue().getArray().size();
            }
            return count;
        }
    }
}
