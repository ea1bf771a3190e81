package io.seqvision.encoder.internimage;

import static io.seqvision.encoder.hornet.ModelTesting.assertAllGradientsUsable;
import static io.seqvision.encoder.hornet.ModelTesting.fill;
import static io.seqvision.encoder.hornet.ModelTesting.infer;
import static io.seqvision.encoder.hornet.ModelTesting.randomize;
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
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

class InternImageTest {

    /** OpenGVLab/InternImage internimage_t_1k_224 (num_classes=1000), counted from the code. */
    private static final long OFFICIAL_T = 29_918_424L;

    /** The paper's Table (InternImage-T): 30M parameters. */
    private static final double PAPER_T = 30e6;

    private static final Shape INPUT = new Shape(2, 3, 64, 64);

    @Test
    void outputShapeChannelsAndStrideFollowTheLevels() {
        try (NDManager manager = NDManager.newBaseManager()) {
            checkShape(manager, InternImageVariants.tiny(), new Shape(2, 3, 64, 96), 128, 32);
            checkShape(
                    manager,
                    InternImageVariants.tinyBuilder().optPostNorm(true).build(),
                    new Shape(1, 3, 32, 64),
                    128,
                    32);
            InternImage twoLevels =
                    InternImage.builder().setChannels(8).setDepths(1, 2).setGroups(2, 2).build();
            checkShape(manager, twoLevels, new Shape(3, 3, 16, 24), 16, 8);
        }
    }

    @Test
    void backwardGivesUsableGradientsOnceTheOffsetLayersMove() {
        Engine.getInstance().setRandomSeed(1);
        try (NDManager manager = NDManager.newBaseManager()) {
            InternImage model = InternImageVariants.tiny();
            model.initialize(manager, DataType.FLOAT32, INPUT);
            trainingBackward(manager, model, INPUT);
            // the zero-initialised offset and mask layers cut off the offset branch at first
            assertAllGradientsUsable(model, "dw_conv");
            Random random = new Random(2);
            for (Pair<String, Parameter> pair : model.getParameters()) {
                if (pair.getKey().endsWith("offset_weight")
                        || pair.getKey().endsWith("mask_weight")) {
                    randomize(pair.getValue(), random, 0.1);
                }
            }
            trainingBackward(manager, model, INPUT);
            assertAllGradientsUsable(model);
        }
    }

    @Test
    void classifyGivesLogitsThroughTheOfficialHead() {
        try (NDManager manager = NDManager.newBaseManager()) {
            InternImage model = InternImageVariants.tinyBuilder().optNumClasses(10).build();
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
            assertAllGradientsUsable(model, "dw_conv");
            // 128 * 1.5 = 192 head channels
            assertEquals(
                    new Shape(192, 128, 1, 1),
                    model.officialParameters().get("conv_head.0.weight").getArray().getShape());
        }
    }

    @Test
    void saveAndLoadRoundTripGivesIdenticalOutputs() throws IOException, MalformedModelException {
        Engine.getInstance().setRandomSeed(3);
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray image = manager.randomNormal(INPUT);
            InternImage original = InternImageVariants.tiny();
            original.initialize(manager, DataType.FLOAT32, INPUT);
            float[] expected = infer(manager, original, image);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            original.saveParameters(new DataOutputStream(bytes));

            InternImage fresh = InternImageVariants.tiny();
            fresh.initialize(manager, DataType.FLOAT32, INPUT);
            assertFalse(Arrays.equals(expected, infer(manager, fresh, image)));
            fresh.loadParameters(
                    manager, new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
            assertArrayEquals(expected, infer(manager, fresh, image));

            InternImage postNorm = InternImageVariants.tinyBuilder().optPostNorm(true).build();
            MalformedModelException e =
                    assertThrows(
                            MalformedModelException.class,
                            () ->
                                    postNorm.loadParameters(
                                            manager,
                                            new DataInputStream(
                                                    new ByteArrayInputStream(
                                                            bytes.toByteArray()))));
            assertTrue(e.getMessage().contains("pre-norm"), e.getMessage());
            assertTrue(e.getMessage().contains("post-norm"), e.getMessage());
        }
    }

    @Test
    void internImageTWithHeadHasTheOfficialAndPaperParameterCounts() {
        try (NDManager manager = NDManager.newBaseManager()) {
            InternImage t = InternImageVariants.tBuilder().optNumClasses(1000).build();
            t.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 32, 32));
            long total = trainableCount(t);
            assertEquals(OFFICIAL_T, total);
            assertEquals(PAPER_T, total, 0.01 * PAPER_T);
            // headless: minus the 1x1 conv 512->768, its BatchNorm (2 * 768) and the classifier
            InternImage headless = InternImageVariants.t();
            headless.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 32, 32));
            assertEquals(
                    OFFICIAL_T - 512 * 768 - 2 * 768 - 768 * 1000 - 1000, trainableCount(headless));
        }
    }

    @Test
    void preNormAndPostNormLayersPlaceTheirNormsAsOfficial() {
        // with output_proj and fc2 zeroed, both branches output 0: pre-norm layers are then the
        // identity, post-norm layers add the norms' betas (LayerNorm of a constant is beta)
        try (NDManager manager = NDManager.newBaseManager()) {
            Shape shape = new Shape(2, 3, 4, 8);
            float[] input = manager.randomNormal(shape).toFloatArray();
            for (boolean post : new boolean[] {false, true}) {
                InternImageLayer layer =
                        InternImageLayer.builder()
                                .setChannels(8)
                                .setGroups(2)
                                .optPostNorm(post)
                                .build();
                layer.initialize(manager, DataType.FLOAT32, shape);
                for (String zero :
                        new String[] {
                            "output_proj_weight", "output_proj_bias", "fc2_weight", "fc2_bias"
                        }) {
                    fill(layer, zero, 0f);
                }
                fill(layer, "norm1.0_beta", 0.25f);
                fill(layer, "norm2.0_beta", 0.5f);
                float[] out = infer(manager, layer, input, shape);
                for (int i = 0; i < input.length; i++) {
                    assertEquals(input[i] + (post ? 0.75f : 0f), out[i], 1e-6, "post " + post);
                }
            }
        }
    }

    @Test
    void initialisationFollowsTheOfficialCode() {
        try (NDManager manager = NDManager.newBaseManager()) {
            InternImage model = InternImageVariants.tinyBuilder().optNumClasses(10).build();
            model.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 32, 32));
            double sumSq = 0;
            long n = 0;
            for (Map.Entry<String, Parameter> entry : model.officialParameters().entrySet()) {
                String name = entry.getKey();
                NDArray value = entry.getValue().getArray();
                if (name.contains(".mlp.fc") && name.endsWith(".weight")
                        || name.equals("head.weight")) {
                    for (float v : value.toFloatArray()) {
                        sumSq += (double) v * v;
                        n++;
                    }
                } else if (name.contains("norm") && name.endsWith(".weight")) {
                    assertEquals(1f, value.min().getFloat(), name);
                    assertEquals(1f, value.max().getFloat(), name);
                }
            }
            // Linear layers: trunc_normal_(std=0.02), cut at +-2, i.e. a plain normal
            assertEquals(0.02, Math.sqrt(sumSq / n), 0.002, "linear weight std over " + n);
            // convs keep PyTorch's default: uniform in +-1/sqrt(fan_in), fan_in 3*3*3 for conv1
            float conv1 =
                    model.officialParameters()
                            .get("patch_embed.conv1.weight")
                            .getArray()
                            .abs()
                            .max()
                            .getFloat();
            assertTrue(conv1 <= 1 / Math.sqrt(27) && conv1 > 0.8 / Math.sqrt(27), "conv1 " + conv1);
            float down =
                    model.officialParameters()
                            .get("levels.0.downsample.conv.weight")
                            .getArray()
                            .abs()
                            .max()
                            .getFloat();
            assertTrue(
                    down <= 1 / Math.sqrt(9 * 16) && down > 0.8 / Math.sqrt(9 * 16),
                    "down " + down);
        }
    }

    @Test
    void layerScalesAndDropPathRatesFollowTheOptions() {
        InternImage model = InternImageVariants.tBuilder().optDropPathRate(0.3).build();
        List<InternImageLayer> layers = model.getLayers();
        assertEquals(30, layers.size());
        for (int i = 0; i < layers.size(); i++) {
            assertEquals(0.3 * i / 29, layers.get(i).getDropPathRate(), 1e-6, "layer " + i);
            int level = i < 4 ? 0 : i < 8 ? 1 : i < 26 ? 2 : 3;
            assertEquals(64 << level, layers.get(i).getChannels());
            assertEquals(4 << level, layers.get(i).getDcn().getGroups());
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            InternImageLayer scaled =
                    InternImageLayer.builder()
                            .setChannels(8)
                            .setGroups(2)
                            .optLayerScale(1e-5)
                            .build();
            scaled.initialize(manager, DataType.FLOAT32, new Shape(1, 4, 4, 8));
            assertEquals(
                    1e-5f,
                    io.seqvision.encoder.hornet.ModelTesting.only(scaled, "gamma1")
                            .getArray()
                            .getFloat(0));
        }
    }

    @Test
    void badSettingsAndInputsFailClearly() {
        IllegalArgumentException groups =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                InternImage.builder()
                                        .setChannels(12)
                                        .setDepths(1, 1)
                                        .setGroups(4, 5)
                                        .build());
        assertTrue(groups.getMessage().contains("level 1"), groups.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> InternImage.builder().setChannels(16).setDepths(1).setGroups(2, 2).build());
        assertThrows(
                IllegalArgumentException.class,
                () -> InternImage.builder().setChannels(15).setDepths(1).setGroups(1).build());
        try (NDManager manager = NDManager.newBaseManager()) {
            InternImage model = InternImageVariants.tiny();
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
                                            new NDList(manager.zeros(new Shape(2, 3, 48, 40))),
                                            false));
            assertTrue(badSize.getMessage().contains("(2, 3, 48, 40)"), badSize.getMessage());
        }
    }

    private static void checkShape(
            NDManager manager, InternImage model, Shape input, int channels, int stride) {
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
