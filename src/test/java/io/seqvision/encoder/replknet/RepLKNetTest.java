package io.seqvision.encoder.replknet;

import static io.seqvision.encoder.replknet.ModelChecks.assertAllGradientsUsable;
import static io.seqvision.encoder.replknet.ModelChecks.infer;
import static io.seqvision.encoder.replknet.ModelChecks.randomiseBatchNorms;
import static io.seqvision.encoder.replknet.ModelChecks.relativeError;
import static io.seqvision.encoder.replknet.ModelChecks.trainableCount;
import static io.seqvision.encoder.replknet.ModelChecks.trainingBackward;

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
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;

import io.seqvision.encoder.common.DepthwiseConv;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;

class RepLKNetTest {

    /** create_RepLKNet31B(num_classes=1000): parameters (not buffers), as PyTorch counts them. */
    private static final long OFFICIAL_31B_PARAMETERS = 79_864_168L;

    /**
     * The paper's table (RepLKNet-31B, ImageNet-1K) gives 79M parameters: the official count
     * truncated to whole millions (79.86M, 1.1% above 79M).
     */
    private static final long PAPER_31B_MILLIONS = 79;

    @Test
    void outputShapeChannelsAndStrideFollowTheStages() {
        try (NDManager manager = NDManager.newBaseManager()) {
            RepLKNet tiny = RepLKNetVariants.tiny();
            assertEquals(64, tiny.outputChannels());
            assertEquals(32, tiny.outputStride());
            Shape input = new Shape(2, 3, 64, 96);
            tiny.initialize(manager, DataType.FLOAT32, input);
            Shape expected = new Shape(2, 64, 2, 3);
            assertEquals(expected, tiny.getOutputShapes(new Shape[] {input})[0]);
            assertEquals(
                    expected.size(), infer(manager, tiny, manager.randomNormal(input)).length);

            RepLKNet twoStages =
                    RepLKNet.builder()
                            .setKernels(7, 5)
                            .setLayers(1, 2)
                            .setChannels(8, 12)
                            .build();
            assertEquals(8, twoStages.outputStride());
            twoStages.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 16, 24));
            NDArray out =
                    twoStages
                            .forward(
                                    new ParameterStore(manager, false),
                                    new NDList(manager.randomNormal(new Shape(1, 3, 16, 24))),
                                    false)
                            .singletonOrThrow();
            assertEquals(new Shape(1, 12, 2, 3), out.getShape());
            assertEquals(3, twoStages.getLargeKernelBlocks().size());
            assertEquals(3, twoStages.getFfnBlocks().size());
        }
    }

    @Test
    void trainingBackwardGivesUsableGradients() {
        try (NDManager manager = NDManager.newBaseManager()) {
            RepLKNet model = RepLKNetVariants.tinyBuilder().optNumClasses(0).build();
            Shape input = new Shape(2, 3, 64, 64);
            model.initialize(manager, DataType.FLOAT32, input);
            assertEquals(new Shape(2, 64, 2, 2), trainingBackward(manager, model, input));
            assertAllGradientsUsable(model);
        }
    }

    @Test
    void trainingUpdatesBatchNormRunningStatisticsWithPyTorchMomentum() {
        try (NDManager manager = NDManager.newBaseManager()) {
            RepLKNet model = RepLKNetVariants.tiny();
            Shape input = new Shape(2, 3, 32, 32);
            model.initialize(manager, DataType.FLOAT32, input);
            NDArray image = manager.randomNormal(input).mul(2).add(3);
            try (NDManager scope = manager.newSubManager()) {
                model.forward(new ParameterStore(scope, false), new NDList(image), true);
            }
            // stem.0's conv + BN: the running mean moves from 0 by 0.1 * (batch mean)
            Parameter weight = model.officialParameters().get("stem.0.conv.weight");
            Parameter runningMean = model.officialParameters().get("stem.0.bn.running_mean");
            NDArray conv =
                    ai.djl.nn.convolutional.Conv2d.conv2d(
                                    image,
                                    weight.getArray(),
                                    null,
                                    new Shape(2, 2),
                                    new Shape(1, 1),
                                    new Shape(1, 1))
                            .singletonOrThrow();
            long channels = conv.getShape().get(1);
            float[] batchMean =
                    conv.transpose(1, 0, 2, 3).reshape(channels, -1).mean(new int[] {1}).toFloatArray();
            float[] running = runningMean.getArray().toFloatArray();
            for (int c = 0; c < batchMean.length; c++) {
                assertEquals(0.1 * batchMean[c], running[c], 1e-5, "channel " + c);
            }
        }
    }

    @Test
    void reparameterisedModelGivesTheSameInferenceOutputs() {
        Engine.getInstance().setRandomSeed(11);
        try (NDManager manager = NDManager.newBaseManager()) {
            RepLKNet model = RepLKNetVariants.tinyBuilder().optNumClasses(5).build();
            Shape input = new Shape(2, 3, 64, 64);
            model.initialize(manager, DataType.FLOAT32, input);
            randomiseBatchNorms(model, 3);
            NDArray image = manager.randomNormal(input);
            float[] before = infer(manager, model, image);

            RepLKNet merged = model.reparameterize(manager);
            assertTrue(merged.isMerged());
            float[] after = infer(manager, merged, image);
            double error = relativeError(before, after);
            System.out.printf("replknet-tiny reparameterisation: relative error %.2e%n", error);
            assertTrue(error < 1e-5, "relative error " + error);
            try (NDManager scope = manager.newSubManager()) {
                ParameterStore store = new ParameterStore(scope, false);
                float[] logits =
                        model.classify(store, new NDList(image), false)
                                .singletonOrThrow()
                                .toFloatArray();
                float[] mergedLogits =
                        merged.classify(store, new NDList(image), false)
                                .singletonOrThrow()
                                .toFloatArray();
                assertTrue(relativeError(logits, mergedLogits) < 1e-5);
            }
            // per large kernel: 4 + 4 BN arrays and 2 conv weights become 1 weight and 1 bias
            int blocks = model.getLargeKernelBlocks().size();
            assertEquals(
                    model.getParameters().size() - 8 * blocks,
                    merged.getParameters().size());
            assertTrue(
                    merged.officialParameters()
                            .containsKey("stages.0.blocks.0.large_kernel.lkb_reparam.bias"));
            assertThrows(IllegalStateException.class, () -> merged.reparameterize(manager));
        }
    }

    @Test
    void saveAndLoadRoundTripGivesIdenticalOutputs() throws IOException, MalformedModelException {
        Engine.getInstance().setRandomSeed(3);
        try (NDManager manager = NDManager.newBaseManager()) {
            Shape shape = new Shape(1, 3, 64, 64);
            NDArray image = manager.randomNormal(shape);
            RepLKNet original = RepLKNetVariants.tiny();
            original.initialize(manager, DataType.FLOAT32, shape);
            randomiseBatchNorms(original, 5);
            float[] expected = infer(manager, original, image);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            original.saveParameters(new DataOutputStream(bytes));

            RepLKNet fresh = RepLKNetVariants.tiny();
            fresh.initialize(manager, DataType.FLOAT32, shape);
            assertFalse(java.util.Arrays.equals(expected, infer(manager, fresh, image)));
            fresh.loadParameters(
                    manager, new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
            assertArrayEquals(expected, infer(manager, fresh, image));

            RepLKNet mergedForm = RepLKNetVariants.tinyBuilder().optMerged(true).build();
            MalformedModelException e =
                    assertThrows(
                            MalformedModelException.class,
                            () ->
                                    mergedForm.loadParameters(
                                            manager,
                                            new DataInputStream(
                                                    new ByteArrayInputStream(
                                                            bytes.toByteArray()))));
            assertTrue(e.getMessage().contains("unmerged"), e.getMessage());
            assertTrue(e.getMessage().contains(", merged"), e.getMessage());
        }
    }

    @Test
    void replknet31bWithHeadHasTheOfficialParameterCount() {
        try (NDManager manager = NDManager.newBaseManager()) {
            RepLKNet model = RepLKNetVariants.b31Builder().optNumClasses(1000).build();
            model.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 32, 32));
            long total = trainableCount(model);
            assertEquals(OFFICIAL_31B_PARAMETERS, total);
            assertEquals(PAPER_31B_MILLIONS, total / 1_000_000);
            assertEquals(
                    formula(new int[] {31, 29, 27, 13}, new int[] {2, 2, 18, 2},
                                    new int[] {128, 256, 512, 1024})
                            + 2 * 1024 + 1024 * 1000 + 1000,
                    total);
            // 18 layers in stage 3 are 18 (RepLKBlock, ConvFFN) pairs: 48 blocks in all
            assertEquals(24, model.getLargeKernelBlocks().size());
            assertEquals(24, model.getFfnBlocks().size());
        }
    }

    @Test
    void headlessCountMatchesTheFormulaForAnotherConfiguration() {
        try (NDManager manager = NDManager.newBaseManager()) {
            RepLKNet model =
                    RepLKNet.builder()
                            .setKernels(9, 7, 5)
                            .setLayers(1, 2, 1)
                            .setChannels(8, 16, 24)
                            .build();
            model.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 16, 16));
            assertEquals(
                    formula(new int[] {9, 7, 5}, new int[] {1, 2, 1}, new int[] {8, 16, 24}),
                    trainableCount(model));
        }
    }

    @Test
    void initialisationIsPyTorchsDefault() {
        try (NDManager manager = NDManager.newBaseManager()) {
            RepLKNet model = RepLKNetVariants.tinyBuilder().optNumClasses(10).build();
            model.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 32, 32));
            for (Pair<String, Parameter> pair : model.getParameters()) {
                NDArray array = pair.getValue().getArray();
                float[] values = array.toFloatArray();
                String name = pair.getKey();
                if (name.endsWith("weight")) {
                    Shape shape = array.getShape();
                    double bound = 1 / Math.sqrt(shape.size() / shape.get(0));
                    double sumSq = 0;
                    for (float v : values) {
                        assertTrue(Math.abs(v) <= bound, name + " value " + v + " > " + bound);
                        sumSq += v * v;
                    }
                    if (values.length > 1000) {
                        double std = Math.sqrt(sumSq / values.length);
                        assertEquals(bound / Math.sqrt(3), std, 0.05 * bound, name);
                    }
                } else if (name.endsWith("head_bias")) {
                    for (float v : values) {
                        assertTrue(Math.abs(v) <= 1 / Math.sqrt(64), name);
                    }
                } else {
                    float expected =
                            name.endsWith("gamma") || name.endsWith("runningVar") ? 1f : 0f;
                    for (float v : values) {
                        assertEquals(expected, v, name);
                    }
                }
            }
        }
    }

    @Test
    void dropPathRatesRiseLinearlyOverPairs() {
        RepLKNet model = RepLKNetVariants.b31Builder().optDropPathRate(0.3).build();
        List<RepLKBlock> blocks = model.getLargeKernelBlocks();
        List<ConvFFN> ffns = model.getFfnBlocks();
        for (int i = 0; i < blocks.size(); i++) {
            assertEquals(0.3 * i / 23, blocks.get(i).getDropPathRate(), 1e-6, "pair " + i);
            assertEquals(blocks.get(i).getDropPathRate(), ffns.get(i).getDropPathRate());
        }
    }

    @Test
    void directAndFftPathsGiveTheSameModelOutput() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Shape input = new Shape(1, 3, 64, 64);
            NDArray image = manager.randomNormal(input);
            RepLKNet direct = RepLKNetVariants.tinyBuilder().optPath(DepthwiseConv.Path.DIRECT).build();
            direct.initialize(manager, DataType.FLOAT32, input);
            RepLKNet fft = RepLKNetVariants.tinyBuilder().optPath(DepthwiseConv.Path.FFT).build();
            fft.initialize(manager, DataType.FLOAT32, input);
            List<Parameter> from = direct.getParameters().values();
            List<Parameter> to = fft.getParameters().values();
            for (int i = 0; i < from.size(); i++) {
                to.get(i).getArray().set(from.get(i).getArray().toFloatArray());
            }
            double error = relativeError(infer(manager, direct, image), infer(manager, fft, image));
            assertTrue(error < 1e-5, "relative error " + error);
        }
    }

    @Test
    void badConfigurationsAndInputsFailClearly() {
        IllegalArgumentException lengths =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                RepLKNet.builder()
                                        .setKernels(31, 29)
                                        .setLayers(1)
                                        .setChannels(8)
                                        .build());
        assertTrue(lengths.getMessage().contains("[31, 29]"), lengths.getMessage());
        IllegalArgumentException even =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> RepLKNet.builder().setKernels(30).setLayers(1).setChannels(8).build());
        assertTrue(even.getMessage().contains("30"), even.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> RepLKNet.builder().setKernels(3).setLayers(1).setChannels(8).build());
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        RepLKNetVariants.tinyBuilder().optDropPathRate(1.0).build());
        try (NDManager manager = NDManager.newBaseManager()) {
            RepLKNet model = RepLKNetVariants.tiny();
            IllegalArgumentException size =
                    assertThrows(
                            IllegalArgumentException.class,
                            () ->
                                    model.initialize(
                                            manager, DataType.FLOAT32, new Shape(1, 3, 48, 40)));
            assertTrue(size.getMessage().contains("(1, 3, 48, 40)"), size.getMessage());
            model.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 32, 32));
            IllegalStateException noHead =
                    assertThrows(
                            IllegalStateException.class,
                            () ->
                                    model.classify(
                                            new ParameterStore(manager, false),
                                            new NDList(manager.zeros(new Shape(1, 3, 32, 32))),
                                            false));
            assertTrue(noHead.getMessage().contains("optNumClasses"), noHead.getMessage());
        }
    }

    /** Trainable parameters of a headless RepLKNet, counted module by module. */
    static long formula(int[] kernels, int[] layers, int[] channels) {
        long c0 = channels[0];
        long total = 27 * c0 + 2 * c0 + 9 * c0 + 2 * c0 + c0 * c0 + 2 * c0 + 9 * c0 + 2 * c0;
        for (int i = 0; i < layers.length; i++) {
            long c = channels[i];
            long k = kernels[i];
            long block = 2 * c + (c * c + 2 * c) + (c * k * k + 2 * c) + (c * 25 + 2 * c)
                    + (c * c + 2 * c);
            long ffn = 2 * c + (c * 4 * c + 8 * c) + (4 * c * c + 2 * c);
            total += layers[i] * (block + ffn);
            if (i + 1 < layers.length) {
                long next = channels[i + 1];
                total += c * next + 2 * next + 9 * next + 2 * next;
            }
        }
        return total;
    }
}
