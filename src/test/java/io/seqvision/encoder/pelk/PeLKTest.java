package io.seqvision.encoder.pelk;

import io.seqvision.encoder.common.MixerBlock;

import static io.seqvision.encoder.hornet.ModelTesting.assertAllGradientsUsable;
import static io.seqvision.encoder.hornet.ModelTesting.infer;
import static io.seqvision.encoder.hornet.ModelTesting.trainableCount;
import static io.seqvision.encoder.hornet.ModelTesting.trainingBackward;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
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

class PeLKTest {

    /**
     * The paper's Table (PeLK-T): 29M parameters, counted as non-zeros of a model trained with
     * SLaK's dynamic sparsity at 40% (as SLaK-T's 30M are).
     */
    private static final double PAPER_T_NONZERO = 29e6;

    /** SLaK's density: 60% of every rank-2 and rank-4 weight is kept. */
    private static final double DENSITY = 0.6;

    private static final Shape INPUT = new Shape(2, 3, 64, 64);

    @Test
    void outputShapeChannelsAndStrideFollowTheStages() {
        try (NDManager manager = NDManager.newBaseManager()) {
            checkShape(manager, PeLKVariants.tiny(), new Shape(2, 3, 64, 96), 64, 32);
            PeLK twoStages =
                    PeLK.builder()
                            .setDepths(1, 2)
                            .setDims(8, 16)
                            .setKernels(9, 5)
                            .optSmallKernelSize(3)
                            .build();
            checkShape(manager, twoStages, new Shape(3, 3, 16, 24), 16, 8);
        }
    }

    @Test
    void backwardGivesFiniteNonZeroGradientsForEveryParameter() {
        Engine.getInstance().setRandomSeed(1);
        try (NDManager manager = NDManager.newBaseManager()) {
            PeLK model = PeLKVariants.tinyBuilder().optSmallKernelSize(5).build();
            model.initialize(manager, DataType.FLOAT32, INPUT);
            trainingBackward(manager, model, INPUT);
            assertAllGradientsUsable(model);
        }
    }

    @Test
    void classifyGivesLogitsAndReachesEveryParameterButTheOutputNorm() {
        try (NDManager manager = NDManager.newBaseManager()) {
            PeLK model = PeLKVariants.tinyBuilder().optNumClasses(10).build();
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
            PeLK original = PeLKVariants.tiny();
            original.initialize(manager, DataType.FLOAT32, INPUT);
            // non-trivial layer scales, so that the mixers affect the output
            for (Pair<String, Parameter> pair : original.getParameters()) {
                if (pair.getKey().endsWith("gamma") && !pair.getKey().contains("norm")) {
                    pair.getValue().getArray().set(filled(pair.getValue().getArray(), 0.5f));
                }
            }
            float[] expected = infer(manager, original, image);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            original.saveParameters(new DataOutputStream(bytes));

            PeLK fresh = PeLKVariants.tiny();
            fresh.initialize(manager, DataType.FLOAT32, INPUT);
            assertFalse(Arrays.equals(expected, infer(manager, fresh, image)));
            fresh.loadParameters(
                    manager, new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
            assertArrayEquals(expected, infer(manager, fresh, image));

            PeLK otherKernels =
                    PeLK.builder()
                            .setDepths(1, 1, 1, 1)
                            .setDims(16, 32, 48, 64)
                            .setKernels(13, 11, 9, 5)
                            .build();
            MalformedModelException e =
                    assertThrows(
                            MalformedModelException.class,
                            () ->
                                    otherKernels.loadParameters(
                                            manager,
                                            new DataInputStream(
                                                    new ByteArrayInputStream(
                                                            bytes.toByteArray()))));
            assertTrue(e.getMessage().contains("[13, 11, 9, 7]"), e.getMessage());
            assertTrue(e.getMessage().contains("[13, 11, 9, 5]"), e.getMessage());
        }
    }

    @Test
    void pelkTParameterCountMatchesTheFormulaAndThePapersNonZeroCount() {
        try (NDManager manager = NDManager.newBaseManager()) {
            PeLK t = PeLKVariants.tBuilder().optNumClasses(1000).build();
            t.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 32, 32));
            long total = trainableCount(t);
            int[] dims = {124, 249, 499, 998};
            assertArrayEquals(dims, t.getDims());
            long outputNorm = 2L * 998;
            assertEquals(
                    formula(dims, new int[] {3, 3, 9, 3}, new int[] {51, 49, 47, 13}) + outputNorm,
                    total);
            assertEquals(48_652_828L, total - outputNorm, "dense PeLK-T with the 1000-class head");

            // the paper's count: the non-zeros left by 40% sparsity on every rank-2/4 weight
            long sparsifiable = 0;
            for (Pair<String, Parameter> pair : t.getParameters()) {
                int rank = pair.getValue().getArray().getShape().dimension();
                if (pair.getValue().requiresGradient()
                        && (rank == 2 || rank == 4)
                        && !pair.getKey().endsWith("pos_embed")) {
                    sparsifiable += pair.getValue().getArray().size();
                }
            }
            double nonZero = DENSITY * sparsifiable + (total - outputNorm - sparsifiable);
            // about 29.55M against the paper's 29M (given to whole millions)
            assertEquals(PAPER_T_NONZERO, nonZero, 0.02 * PAPER_T_NONZERO);
        }
    }

    /** Parameters of PeLK with a 1000-class head and no outputNorm, layer by layer. */
    private static long formula(int[] dims, int[] depths, int[] kernels) {
        long total = 3L * 16 * dims[0] + dims[0] + 2L * dims[0];
        for (int i = 0; i < dims.length; i++) {
            long c = dims[i];
            long cp = (long) (c * 3 / 8.0);
            long cells = SharingGrid.of(kernels[i], 5).getParameterSize();
            if (i > 0) {
                total += 2L * dims[i - 1] + dims[i - 1] * 4L * c + c;
            }
            long block = cp * cells * cells + 2 * cp + 2 * c + 8 * c * c + 5 * c + c;
            total += depths[i] * block + cp * kernels[i] * kernels[i];
        }
        return total + 2L * dims[dims.length - 1] + dims[dims.length - 1] * 1000L + 1000;
    }

    @Test
    void eachStageHasOneEmbeddingSharedByItsBlocks() {
        try (NDManager manager = NDManager.newBaseManager()) {
            PeLK model = PeLK.builder().setDepths(2, 3).setDims(16, 24).setKernels(11, 7).build();
            model.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 32, 32));
            long embeddings =
                    model.getParameters().keys().stream()
                            .filter(n -> n.endsWith("pos_embed"))
                            .count();
            assertEquals(2, embeddings);
            List<PeLKStage> stages = model.getStages();
            assertEquals(
                    new Shape(6, 1, 11, 11),
                    stages.get(0).getPositionEmbedding().getArray().getShape());
            assertEquals(
                    new Shape(9, 1, 7, 7),
                    stages.get(1).getPositionEmbedding().getArray().getShape());
            assertEquals(3, stages.get(1).getBlocks().size());

            // the shared embedding's gradient is the sum of what each block's use contributes
            PeLKStage stage =
                    PeLKStage.builder()
                            .setChannels(8)
                            .setConvChannels(3)
                            .setKernelSize(7)
                            .setDropPathRates(0f, 0f)
                            .optLayerScaleInit(1.0)
                            .build();
            Shape shape = new Shape(1, 8, 6, 6);
            stage.initialize(manager, DataType.FLOAT32, shape);
            NDArray x = manager.randomNormal(shape);
            NDArray probe = manager.randomNormal(shape);
            NDArray embedding = stage.getPositionEmbedding().getArray();
            NDArray gradient = embedding.getGradient();
            gradient.subi(gradient); // gradients accumulate across collectors
            try (NDManager scope = manager.newSubManager();
                    GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray y =
                        stage.forward(new ParameterStore(scope, false), new NDList(x), true)
                                .singletonOrThrow();
                collector.backward(y.mul(probe).sum());
            }
            float[] shared = embedding.getGradient().toFloatArray();
            float[] separate = new float[shared.length];
            try (NDManager scope = manager.newSubManager()) {
                NDArray first = embedding.duplicate();
                NDArray second = embedding.duplicate();
                first.setRequiresGradient(true);
                second.setRequiresGradient(true);
                try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                    ParameterStore store = new ParameterStore(scope, false);
                    NDArray y =
                            stage.getBlocks()
                                    .get(0)
                                    .forward(store, new NDList(x, first), true)
                                    .head();
                    y = stage.getBlocks().get(1).forward(store, new NDList(y, second), true).head();
                    collector.backward(y.mul(probe).sum());
                }
                float[] a = first.getGradient().toFloatArray();
                float[] b = second.getGradient().toFloatArray();
                for (int i = 0; i < separate.length; i++) {
                    separate[i] = a[i] + b[i];
                    assertTrue(a[i] != 0f || b[i] != 0f, "embedding element " + i + " unused");
                }
            }
            for (int i = 0; i < shared.length; i++) {
                assertEquals(
                        separate[i],
                        shared[i],
                        1e-5 * Math.max(1, Math.abs(separate[i])),
                        "element " + i);
            }

            PeLK without = PeLKVariants.tinyBuilder().optPositionEmbedding(false).build();
            assertNull(without.getStages().get(0).getPositionEmbedding());
        }
    }

    @Test
    void partialChannelsAndDropPathRatesFollowTheConfiguration() {
        PeLK t = PeLKVariants.tBuilder().optDropPathRate(0.1).build();
        int[] expected = {46, 93, 187, 374};
        int[] kernelCells = {13, 13, 13, 9};
        int block = 0;
        for (int i = 0; i < 4; i++) {
            PeLKStage stage = t.getStages().get(i);
            assertEquals(expected[i], stage.getConvChannels(), "stage " + i);
            for (MixerBlock<PartialPeripheralConv> b : stage.getBlocks()) {
                assertEquals(kernelCells[i], b.getMixer().getGrid().getParameterSize());
                assertEquals(0.1 * block / 17, b.getDropPathRate(), 1e-6, "block " + block);
                block++;
            }
        }
        assertEquals(18, block);
    }

    @Test
    void badSettingsAndInputsFailClearly() {
        IllegalArgumentException kernel =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                PeLK.builder()
                                        .setDepths(1, 1)
                                        .setDims(8, 16)
                                        .setKernels(9, 8)
                                        .build());
        assertTrue(kernel.getMessage().contains("stage 1"), kernel.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> PeLK.builder().setDepths(1).setDims(8).setKernels(9, 9).build());
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        PeLK.builder()
                                .setDepths(1)
                                .setDims(8)
                                .setKernels(9)
                                .optPartialRatio(0)
                                .build());
        try (NDManager manager = NDManager.newBaseManager()) {
            PeLK model = PeLKVariants.tiny();
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

    private static float[] filled(NDArray array, float value) {
        float[] values = new float[Math.toIntExact(array.size())];
        Arrays.fill(values, value);
        return values;
    }

    private static void checkShape(
            NDManager manager, PeLK model, Shape input, int channels, int stride) {
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
