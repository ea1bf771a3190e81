package io.seqvision.encoder.convnext;

import ai.djl.nn.convolutional.Conv2d;

import io.seqvision.encoder.common.MixerBlock;

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
import java.util.List;

class ConvNeXtTest {

    /** facebookresearch/ConvNeXt convnext_tiny() with num_classes=1000, counted by PyTorch. */
    private static final long OFFICIAL_T_PARAMETERS = 28_589_128L;

    /** The paper's Table (ConvNeXt-T): 28.6M parameters. */
    private static final double PAPER_T_PARAMETERS = 28.6e6;

    @Test
    void outputShapeChannelsAndStrideFollowTheStages() {
        try (NDManager manager = NDManager.newBaseManager()) {
            checkShape(manager, ConvNeXtVariants.tiny(), new Shape(2, 3, 64, 96), 64, 32);
            checkShape(manager, ConvNeXtVariants.s16Small(), new Shape(1, 3, 128, 128), 192, 16);
            ConvNeXt oneStage = ConvNeXt.builder().setDepths(1).setDims(8).build();
            checkShape(manager, oneStage, new Shape(1, 3, 12, 8), 8, 4);
            ConvNeXt twoStages = ConvNeXt.builder().setDepths(1, 2).setDims(8, 12).build();
            checkShape(manager, twoStages, new Shape(3, 3, 16, 24), 12, 8);
        }
    }

    @Test
    void backwardGivesFiniteNonZeroGradientsForEveryParameter() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ConvNeXt model = ConvNeXtVariants.tiny();
            Shape input = new Shape(2, 3, 64, 64);
            model.initialize(manager, DataType.FLOAT32, input);
            backward(manager, model, input, false);
            assertAllGradientsUsable(model, "");
        }
    }

    @Test
    void classifyBackwardReachesEveryParameterButTheOutputNorm() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ConvNeXt model = ConvNeXtVariants.tinyBuilder().optNumClasses(10).build();
            Shape input = new Shape(2, 3, 32, 32);
            model.initialize(manager, DataType.FLOAT32, input);
            assertEquals(new Shape(2, 10), backward(manager, model, input, true));
            assertAllGradientsUsable(model, "outputNorm");
        }
    }

    @Test
    void saveAndLoadRoundTripGivesIdenticalOutputs() throws IOException, MalformedModelException {
        Engine.getInstance().setRandomSeed(3);
        try (NDManager manager = NDManager.newBaseManager()) {
            Shape shape = new Shape(2, 3, 64, 64);
            NDArray image = manager.randomNormal(shape);
            ConvNeXt original = ConvNeXtVariants.tiny();
            original.initialize(manager, DataType.FLOAT32, shape);
            float[] expected = infer(manager, original, image);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            original.saveParameters(new DataOutputStream(bytes));

            ConvNeXt fresh = ConvNeXtVariants.tiny();
            fresh.initialize(manager, DataType.FLOAT32, shape);
            assertFalse(java.util.Arrays.equals(expected, infer(manager, fresh, image)));
            fresh.loadParameters(
                    manager, new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
            assertArrayEquals(expected, infer(manager, fresh, image));

            ConvNeXt uninitialised = ConvNeXtVariants.tiny();
            uninitialised.loadParameters(
                    manager, new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
            assertArrayEquals(expected, infer(manager, uninitialised, image));
        }
    }

    @Test
    void loadingIntoADifferentArchitectureFailsNamingBoth() throws IOException {
        try (NDManager manager = NDManager.newBaseManager()) {
            ConvNeXt tiny = ConvNeXtVariants.tiny();
            tiny.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 32, 32));
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            tiny.saveParameters(new DataOutputStream(bytes));
            ConvNeXt other =
                    ConvNeXt.builder().setDepths(1, 1, 1, 1).setDims(16, 32, 48, 80).build();
            MalformedModelException e =
                    assertThrows(
                            MalformedModelException.class,
                            () ->
                                    other.loadParameters(
                                            manager,
                                            new DataInputStream(
                                                    new ByteArrayInputStream(
                                                            bytes.toByteArray()))));
            assertTrue(e.getMessage().contains("[16, 32, 48, 64]"), e.getMessage());
            assertTrue(e.getMessage().contains("[16, 32, 48, 80]"), e.getMessage());
        }
    }

    @Test
    void convNeXtTWithHeadHasThePapersParameterCount() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ConvNeXt model = ConvNeXtVariants.tBuilder().optNumClasses(1000).build();
            model.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 32, 32));
            long total = ParameterLookup.count(model);
            long outputNorm = 2 * 768;
            // The official classifier has no outputNorm (it normalises after pooling, which is
            // our headNorm); the encoder's outputNorm adds 2 * 768 parameters on top.
            assertEquals(OFFICIAL_T_PARAMETERS, total - outputNorm);
            assertEquals(PAPER_T_PARAMETERS, total - outputNorm, 0.01 * PAPER_T_PARAMETERS);
            assertEquals(
                    headlessFormula(new int[] {3, 3, 9, 3}, new int[] {96, 192, 384, 768}, 7)
                            + 2 * 768
                            + 768 * 1000
                            + 1000,
                    total);
        }
    }

    @Test
    void headlessParameterCountMatchesTheFormula() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ConvNeXt t = ConvNeXtVariants.t();
            t.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 32, 32));
            assertEquals(
                    headlessFormula(new int[] {3, 3, 9, 3}, new int[] {96, 192, 384, 768}, 7),
                    ParameterLookup.count(t));
            assertFalse(ParameterLookup.names(t).stream().anyMatch(n -> n.contains("head")));
            ConvNeXt odd =
                    ConvNeXt.builder()
                            .setDepths(2, 1, 3)
                            .setDims(8, 20, 12)
                            .optKernelSize(5)
                            .build();
            odd.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 16, 16));
            assertEquals(
                    headlessFormula(new int[] {2, 1, 3}, new int[] {8, 20, 12}, 5),
                    ParameterLookup.count(odd));
        }
    }

    @Test
    void initialisationFollowsTheOfficialCode() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ConvNeXt model = ConvNeXtVariants.tinyBuilder().optNumClasses(100).build();
            model.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 32, 32));
            double sum = 0, sumSq = 0, maxAbs = 0;
            long n = 0;
            for (Pair<String, Parameter> pair : model.getParameters()) {
                String name = pair.getKey();
                float[] values = pair.getValue().getArray().toFloatArray();
                if (name.endsWith("_weight")) {
                    for (float v : values) {
                        sum += v;
                        sumSq += (double) v * v;
                        maxAbs = Math.max(maxAbs, Math.abs(v));
                        n++;
                    }
                } else {
                    float expected =
                            name.endsWith("layerScale") ? 1e-6f : name.endsWith("_gamma") ? 1f : 0f;
                    for (float v : values) {
                        assertEquals(expected, v, name);
                    }
                }
            }
            double mean = sum / n;
            double std = Math.sqrt(sumSq / n - mean * mean);
            assertEquals(0.0, mean, 0.001, "weight mean over " + n);
            assertEquals(0.02, std, 0.0006, "weight std over " + n);
            // a 2-sigma truncation (DJL's TruncatedNormalInitializer) would cap this at 0.04
            assertTrue(maxAbs > 0.06, "largest |weight| " + maxAbs);
        }
    }

    @Test
    void dropPathRatesRiseLinearlyOverAllBlocks() {
        ConvNeXt model = ConvNeXtVariants.tBuilder().optDropPathRate(0.34).build();
        List<MixerBlock<Conv2d>> blocks = model.getBlocks();
        assertEquals(18, blocks.size());
        for (int i = 0; i < blocks.size(); i++) {
            assertEquals(0.34 * i / 17, blocks.get(i).getDropPathRate(), 1e-6, "block " + i);
            assertEquals(
                    i < 3 ? 96 : i < 6 ? 192 : i < 15 ? 384 : 768, blocks.get(i).getChannels());
        }
        assertEquals(
                0f,
                ConvNeXt.builder()
                        .setDepths(1)
                        .setDims(4)
                        .optDropPathRate(0.5)
                        .build()
                        .getBlocks()
                        .get(0)
                        .getDropPathRate());
    }

    @Test
    void classifyWithoutHeadAndBadInputsFailClearly() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ConvNeXt model = ConvNeXtVariants.tiny();
            model.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 32, 32));
            ParameterStore store = new ParameterStore(manager, false);
            NDList image = new NDList(manager.zeros(new Shape(1, 3, 32, 32)));
            IllegalStateException noHead =
                    assertThrows(
                            IllegalStateException.class, () -> model.classify(store, image, false));
            assertTrue(noHead.getMessage().contains("optNumClasses"), noHead.getMessage());
            IllegalArgumentException badSize =
                    assertThrows(
                            IllegalArgumentException.class,
                            () ->
                                    model.forward(
                                            store,
                                            new NDList(manager.zeros(new Shape(2, 3, 60, 64))),
                                            false));
            assertTrue(badSize.getMessage().contains("32"), badSize.getMessage());
            assertTrue(badSize.getMessage().contains("(2, 3, 60, 64)"), badSize.getMessage());
            assertThrows(
                    IllegalArgumentException.class,
                    () ->
                            model.forward(
                                    store,
                                    new NDList(manager.zeros(new Shape(1, 1, 32, 32))),
                                    false));
        }
        IllegalArgumentException lengths =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> ConvNeXt.builder().setDepths(1, 1).setDims(8).build());
        assertTrue(lengths.getMessage().contains("[1, 1]"), lengths.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ConvNeXt.builder().setDims(8).build());
        assertThrows(
                IllegalArgumentException.class,
                () -> ConvNeXt.builder().setDepths().setDims().build());
        assertThrows(
                IllegalArgumentException.class,
                () -> ConvNeXt.builder().setDepths(0).setDims(8).build());
        assertThrows(
                IllegalArgumentException.class,
                () -> ConvNeXt.builder().setDepths(1).setDims(8).optNumClasses(-1).build());
        assertThrows(
                IllegalArgumentException.class,
                () -> ConvNeXt.builder().setDepths(1).setDims(8).optKernelSize(4).build());
    }

    /** Parameters of a headless ConvNeXt, counted layer by layer from the architecture. */
    private static long headlessFormula(int[] depths, int[] dims, int k) {
        long total = 3L * 4 * 4 * dims[0] + dims[0] + 2L * dims[0]; // stem conv + norm
        for (int i = 0; i < depths.length; i++) {
            long d = dims[i];
            if (i > 0) {
                long prev = dims[i - 1];
                total += 2 * prev + prev * 2 * 2 * d + d; // downsampling norm + conv
            }
            long block =
                    (long) k * k * d
                            + d // depthwise conv
                            + 2 * d // norm
                            + d * 4 * d
                            + 4 * d // pwconv1
                            + 4 * d * d
                            + d // pwconv2
                            + d; // layer scale
            total += depths[i] * block;
        }
        return total + 2L * dims[dims.length - 1]; // outputNorm
    }

    private static void checkShape(
            NDManager manager, ConvNeXt model, Shape input, int channels, int stride) {
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

    /**
     * Runs forward (or classify) and backward of a random-weighted sum; returns the output shape.
     */
    private static Shape backward(
            NDManager manager, ConvNeXt model, Shape input, boolean classify) {
        NDManager scope = manager.newSubManager();
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            ParameterStore store = new ParameterStore(scope, false);
            NDList image = new NDList(scope.randomNormal(input));
            NDArray out =
                    classify
                            ? model.classify(store, image, true).singletonOrThrow()
                            : model.forward(store, image, true).singletonOrThrow();
            // random weights: a plain sum of layer-normalised features has zero gradient
            collector.backward(out.mul(scope.randomNormal(out.getShape())).sum());
            return out.getShape();
        } finally {
            scope.close();
        }
    }

    private static void assertAllGradientsUsable(ConvNeXt model, String exceptContaining) {
        for (Pair<String, Parameter> pair : model.getParameters()) {
            if (!exceptContaining.isEmpty() && pair.getKey().contains(exceptContaining)) {
                continue;
            }
            float[] grad = pair.getValue().getArray().getGradient().toFloatArray();
            boolean nonZero = false;
            for (float g : grad) {
                assertTrue(Float.isFinite(g), pair.getKey() + " has a non-finite gradient");
                nonZero |= g != 0f;
            }
            assertTrue(nonZero, pair.getKey() + " has an all-zero gradient");
        }
    }

    private static float[] infer(NDManager manager, ConvNeXt model, NDArray image) {
        try (NDManager scope = manager.newSubManager()) {
            return model.forward(new ParameterStore(scope, false), new NDList(image), false)
                    .singletonOrThrow()
                    .toFloatArray();
        }
    }
}
