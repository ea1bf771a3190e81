package io.seqvision.encoder.hornet;

import io.seqvision.encoder.common.MixerBlock;

import static io.seqvision.encoder.hornet.ModelTesting.assertAllGradientsUsable;
import static io.seqvision.encoder.hornet.ModelTesting.infer;
import static io.seqvision.encoder.hornet.ModelTesting.trainableCount;
import static io.seqvision.encoder.hornet.ModelTesting.trainingBackward;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.MalformedModelException;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;

class HorNetTest {

    /** raoyongming/HorNet hornet_tiny_7x7(num_classes=1000), counted from hornet.py. */
    private static final long OFFICIAL_T_7X7 = 22_409_512L;

    /** raoyongming/HorNet hornet_tiny_gf(num_classes=1000), counted from hornet.py. */
    private static final long OFFICIAL_T_GF = 22_991_848L;

    /** The paper's Table 1: HorNet-T 7x7 22M, HorNet-T GF 23M parameters (rounded to 1M). */
    private static final double PAPER_T_7X7 = 22e6;

    private static final double PAPER_T_GF = 23e6;

    private static final Shape INPUT = new Shape(2, 3, 64, 64);

    /** The test variant with global filters in its last two stages. */
    static HorNet.Builder tinyGlobalFilterBuilder() {
        return HorNetVariants.tinyBuilder()
                .optMixers(
                        SpatialMixer.depthwise7x7(),
                        SpatialMixer.depthwise7x7(),
                        SpatialMixer.globalFilter(14, 8),
                        SpatialMixer.globalFilter(7, 4));
    }

    @Test
    void outputShapeChannelsAndStrideFollowTheStages() {
        try (NDManager manager = NDManager.newBaseManager()) {
            checkShape(manager, HorNetVariants.tiny(), new Shape(2, 3, 64, 96), 128, 32);
            checkShape(
                    manager, tinyGlobalFilterBuilder().build(), new Shape(1, 3, 96, 64), 128, 32);
            HorNet twoStages = HorNet.builder().setDepths(1, 2).setDims(8, 16).build();
            checkShape(manager, twoStages, new Shape(3, 3, 16, 24), 16, 8);
        }
    }

    @Test
    void backwardGivesFiniteNonZeroGradientsForEveryParameter() {
        Engine.getInstance().setRandomSeed(1);
        try (NDManager manager = NDManager.newBaseManager()) {
            for (HorNet model : List.of(HorNetVariants.tiny(), tinyGlobalFilterBuilder().build())) {
                model.initialize(manager, DataType.FLOAT32, INPUT);
                trainingBackward(manager, model, INPUT);
                assertAllGradientsUsable(model);
            }
        }
    }

    @Test
    void classifyGivesLogitsAndReachesEveryParameterButTheOutputNorm() {
        try (NDManager manager = NDManager.newBaseManager()) {
            HorNet model = HorNetVariants.tinyBuilder().optNumClasses(10).build();
            Shape input = new Shape(2, 3, 32, 32);
            model.initialize(manager, DataType.FLOAT32, input);
            try (NDManager scope = manager.newSubManager();
                    GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray logits =
                        model.classify(
                                        new ParameterStore(scope, false),
                                        new NDList(scope.randomNormal(input)),
                                        true)
                                .singletonOrThrow();
                assertEquals(new Shape(2, 10), logits.getShape());
                collector.backward(logits.mul(scope.randomNormal(logits.getShape())).sum());
            }
            assertAllGradientsUsable(model, "outputNorm");
        }
    }

    @Test
    void saveAndLoadRoundTripGivesIdenticalOutputs() throws IOException, MalformedModelException {
        Engine.getInstance().setRandomSeed(3);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray image = manager.randomNormal(INPUT);
            HorNet original = tinyGlobalFilterBuilder().build();
            original.initialize(manager, DataType.FLOAT32, INPUT);
            float[] expected = infer(manager, original, image);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            original.saveParameters(new DataOutputStream(bytes));

            HorNet fresh = tinyGlobalFilterBuilder().build();
            fresh.initialize(manager, DataType.FLOAT32, INPUT);
            assertFalse(Arrays.equals(expected, infer(manager, fresh, image)));
            fresh.loadParameters(
                    manager, new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
            assertArrayEquals(expected, infer(manager, fresh, image));

            HorNet sevenBySeven = HorNetVariants.tiny();
            MalformedModelException e =
                    assertThrows(
                            MalformedModelException.class,
                            () ->
                                    sevenBySeven.loadParameters(
                                            manager,
                                            new DataInputStream(
                                                    new ByteArrayInputStream(
                                                            bytes.toByteArray()))));
            assertTrue(e.getMessage().contains("gf14x8"), e.getMessage());
            assertTrue(e.getMessage().contains("dw7"), e.getMessage());
        }
    }

    @Test
    void hornetTWithHeadHasTheOfficialAndPaperParameterCounts() {
        try (NDManager manager = NDManager.newBaseManager()) {
            long outputNorm = 2 * 512;
            HorNet t = HorNetVariants.tBuilder().optNumClasses(1000).build();
            t.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 32, 32));
            long total = trainableCount(t) - outputNorm;
            assertEquals(OFFICIAL_T_7X7, total);
            // the paper rounds to whole millions: 22.41M is "22M"
            assertEquals(PAPER_T_7X7, total, 0.5e6);

            HorNet gf = HorNetVariants.tGfBuilder().optNumClasses(1000).build();
            gf.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 32, 32));
            long gfTotal = trainableCount(gf) - outputNorm;
            assertEquals(OFFICIAL_T_GF, gfTotal);
            assertEquals(PAPER_T_GF, gfTotal, 0.5e6);
        }
    }

    @Test
    void initialisationFollowsTheOfficialCode() {
        try (NDManager manager = NDManager.newBaseManager()) {
            HorNet model = tinyGlobalFilterBuilder().build();
            model.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 32, 32));
            double sumSq = 0;
            long n = 0;
            for (var pair : model.getParameters()) {
                String name = pair.getKey();
                float[] values = pair.getValue().getArray().toFloatArray();
                if (name.endsWith("_weight")) {
                    for (float v : values) {
                        sumSq += (double) v * v;
                        n++;
                    }
                } else {
                    float expected =
                            name.endsWith("gamma1") || name.endsWith("gamma2")
                                    ? 1e-6f
                                    : name.endsWith("_gamma") ? 1f : 0f;
                    for (float v : values) {
                        assertEquals(expected, v, name);
                    }
                }
            }
            assertEquals(0.02, Math.sqrt(sumSq / n), 0.001, "weight std over " + n);
        }
    }

    @Test
    void dropPathRatesRiseLinearlyAndOrdersFollowTheStages() {
        HorNet model = HorNetVariants.tBuilder().optDropPathRate(0.2).build();
        List<MixerBlock<GnConv>> blocks = model.getBlocks();
        assertEquals(25, blocks.size());
        for (int i = 0; i < blocks.size(); i++) {
            assertEquals(0.2 * i / 24, blocks.get(i).getDropPathRate(), 1e-6, "block " + i);
            int stage = i < 2 ? 0 : i < 5 ? 1 : i < 23 ? 2 : 3;
            assertEquals(stage + 2, blocks.get(i).getMixer().getOrder(), "block " + i);
            assertEquals(64 << stage, blocks.get(i).getChannels());
        }
        assertEquals(
                List.of(
                        SpatialMixer.depthwise7x7(),
                        SpatialMixer.depthwise7x7(),
                        SpatialMixer.globalFilter(14, 8),
                        SpatialMixer.globalFilter(7, 4)),
                HorNetVariants.tGf().getMixers());
    }

    @Test
    void zeroLayerScalesMakeEveryBlockTheIdentity() {
        try (NDManager manager = NDManager.newBaseManager()) {
            MixerBlock<GnConv> block = HorNet.block(16, 3, SpatialMixer.depthwise7x7(), GnConv.OFFICIAL_SCALE, 0, 1e-6);
            Shape shape = new Shape(2, 16, 5, 5);
            block.initialize(manager, DataType.FLOAT32, shape);
            ModelTesting.fill(block, "gamma1", 0f);
            ModelTesting.fill(block, "gamma2", 0f);
            float[] input = manager.randomNormal(shape).toFloatArray();
            assertArrayEquals(input, infer(manager, block, input, shape));
        }
    }

    @Test
    void badSettingsAndInputsFailClearly() {
        IllegalArgumentException order =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> HorNet.builder().setDepths(1, 1).setDims(8, 10).build());
        assertTrue(order.getMessage().contains("stage 1"), order.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> HorNet.builder().setDepths(1, 1).setDims(8).build());
        assertThrows(
                IllegalArgumentException.class,
                () -> HorNet.builder().setDepths(1).setDims(8).optOrders(2, 3).build());
        assertThrows(
                IllegalArgumentException.class,
                () -> HorNet.builder().setDepths(1).setDims(8).optNumClasses(-1).build());
        try (NDManager manager = NDManager.newBaseManager()) {
            HorNet model = HorNetVariants.tiny();
            model.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 32, 32));
            ParameterStore store = new ParameterStore(manager, false);
            IllegalStateException noHead =
                    assertThrows(
                            IllegalStateException.class,
                            () ->
                                    model.classify(
                                            store,
                                            new NDList(manager.zeros(new Shape(1, 3, 32, 32))),
                                            false));
            assertTrue(noHead.getMessage().contains("optNumClasses"), noHead.getMessage());
            IllegalArgumentException badSize =
                    assertThrows(
                            IllegalArgumentException.class,
                            () ->
                                    model.forward(
                                            store,
                                            new NDList(manager.zeros(new Shape(2, 3, 60, 64))),
                                            false));
            assertTrue(badSize.getMessage().contains("(2, 3, 60, 64)"), badSize.getMessage());
        }
    }

    private static void checkShape(
            NDManager manager, HorNet model, Shape input, int channels, int stride) {
        assertEquals(channels, model.outputChannels());
        assertEquals(stride, model.outputStride());
        model.initialize(manager, DataType.FLOAT32, input);
        Shape expected =
                new Shape(input.get(0), channels, input.get(2) / stride, input.get(3) / stride);
        assertEquals(expected, model.getOutputShapes(new Shape[] {input})[0]);
        try (NDManager scope = manager.newSubManager()) {
            NDArray out =
                    model.forward(
                                    new ParameterStore(scope, false),
                                    new NDList(scope.randomNormal(input)),
                                    false)
                            .singletonOrThrow();
            assertEquals(expected, out.getShape());
        }
    }
}
