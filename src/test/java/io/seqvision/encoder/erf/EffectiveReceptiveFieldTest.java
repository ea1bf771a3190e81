package io.seqvision.encoder.erf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;
import io.seqvision.encoder.Encoder;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class EffectiveReceptiveFieldTest {

    /** One k x k convolution, stride 1, 'same' padding, all weights 1: its ERF is exactly a k x k square. */
    private static final class SingleConv extends AbstractBlock implements Encoder {
        private final Conv2d conv;

        SingleConv(int k) {
            conv = addChildBlock("conv", Conv2d.builder().setKernelShape(new Shape(k, k))
                    .optPadding(new Shape(k / 2, k / 2)).setFilters(2).optBias(false).build());
            conv.setInitializer(new ConstantInitializer(1f), Parameter.Type.WEIGHT);
        }

        @Override
        protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
            return conv.forward(ps, inputs, training);
        }

        @Override
        public Shape[] getOutputShapes(Shape[] inputShapes) {
            return conv.getOutputShapes(inputShapes);
        }

        @Override
        protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
            conv.initialize(manager, dataType, inputShapes);
        }

        @Override
        public int outputChannels() {
            return 2;
        }

        @Override
        public int outputStride() {
            return 1;
        }
    }

    @Test
    void aSingleConvolutionSeesExactlyItsKernelWindow() {
        int k = 5;
        try (NDManager manager = NDManager.newBaseManager()) {
            SingleConv encoder = new SingleConv(k);
            Shape shape = new Shape(2, 3, 15, 15);
            encoder.initialize(manager, DataType.FLOAT32, shape);
            NDArray images = manager.ones(shape);
            float[] map = new EffectiveReceptiveField(15, 15).accumulate(encoder, images).map();
            for (int y = 0; y < 15; y++) {
                for (int x = 0; x < 15; x++) {
                    boolean inside = Math.abs(y - 7) <= k / 2 && Math.abs(x - 7) <= k / 2;
                    // d(sum of 2 channels at the centre)/d(input) = 2 per channel per image, summed over 3 channels and 2 images
                    assertEquals(inside ? 12f : 0f, map[y * 15 + x], 1e-5, "(" + y + ", " + x + ")");
                }
            }
        }
    }

    @Test
    void aConvNeXtsFieldStaysInsideItsTheoreticalField() {
        try (NDManager manager = NDManager.newBaseManager()) {
            // stem 4x4 stride 4, then one 7x7 depthwise block: output cell 8 of 16 reads input
            // pixels [4 * 8 - 3 * 4, 4 * 8 + 4 + 3 * 4) = [20, 48) on each axis
            Encoder encoder = io.seqvision.encoder.convnext.ConvNeXt.builder().setDepths(1).setDims(8)
                    .optLayerScaleInit(1).build();
            Shape shape = new Shape(2, 3, 64, 64);
            encoder.initialize(manager, DataType.FLOAT32, shape);
            EffectiveReceptiveField erf = new EffectiveReceptiveField(64, 64)
                    .accumulate(encoder, manager.randomNormal(shape));
            float[] map = erf.map();
            double inside = 0;
            for (int y = 0; y < 64; y++) {
                for (int x = 0; x < 64; x++) {
                    boolean theoretical = y >= 20 && y < 48 && x >= 20 && x < 48;
                    if (!theoretical) {
                        assertEquals(0f, map[y * 64 + x], "(" + y + ", " + x + ") lies outside the field");
                    } else {
                        inside += map[y * 64 + x];
                    }
                }
            }
            assertTrue(inside > 0, "the field is not empty");
            assertTrue(erf.sideHolding(0.5) <= erf.sideHolding(0.99) && erf.sideHolding(0.99) <= 31);
            BufferedImage image = ErfHeatmap.render(erf, 2);
            assertEquals(128, image.getWidth());
        }
    }

    @Test
    void theColourRampRunsFromDarkToBright() {
        int dark = ErfHeatmap.colour(0f);
        int bright = ErfHeatmap.colour(1f);
        assertEquals(0x0D0887, dark);
        assertEquals(0xF0F921, bright);
    }
}
