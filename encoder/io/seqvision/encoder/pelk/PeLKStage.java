package io.seqvision.encoder.pelk;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;

import io.seqvision.encoder.common.DepthwiseConv;
import io.seqvision.encoder.common.MixerBlock;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * The blocks of one PeLK stage and the kernel-wise positional embedding they share (arXiv
 * 2403.07589: "shared by all blocks of a stage"). The embedding {@code h (Cp, 1, K, K)} is added to
 * every block's peripheral-conv input window ({@code y = sum w(i, j) * (x(p+i, q+j) + h(i, j))},
 * skipped on zero padding; see {@link PartialPeripheralConv}), restoring position detail inside the
 * shared cells.
 *
 * <p>Input: {@code (B, C, H, W)}. Output: the same shape. Parameters: {@code pos_embed (Cp, 1, K,
 * K)} (normal, std 0.02, as the paper's truncated normal), absent when disabled; children {@code
 * blocks.0 .. blocks.(depth-1)} ({@link MixerBlock} whose mixer is a {@link PartialPeripheralConv}).
 */
public final class PeLKStage extends AbstractBlock {

    private static final byte VERSION = 1;

    private final int channels;
    private final int convChannels;
    private final int kernelSize;
    private final Parameter positionEmbedding;
    private final List<MixerBlock<PartialPeripheralConv>> blocks = new ArrayList<>();

    private PeLKStage(Builder builder) {
        super(VERSION);
        channels = builder.channels;
        convChannels = builder.convChannels;
        kernelSize = builder.kernelSize;
        positionEmbedding =
                builder.positionEmbedding
                        ? addParameter(
                                Parameter.builder()
                                        .setName("pos_embed")
                                        .setType(Parameter.Type.OTHER)
                                        .optShape(
                                                new Shape(convChannels, 1, kernelSize, kernelSize))
                                        .optInitializer(new NormalInitializer(0.02f))
                                        .build())
                        : null;
        for (int j = 0; j < builder.dropPathRates.length; j++) {
            PartialPeripheralConv mixer =
                    PartialPeripheralConv.builder()
                            .setChannels(channels)
                            .setConvChannels(convChannels)
                            .setKernelSize(kernelSize)
                            .optCentreSize(builder.centreSize)
                            .optSmallKernelSize(builder.smallKernelSize)
                            .optPath(builder.path)
                            .build();
            MixerBlock<PartialPeripheralConv> block =
                    MixerBlock.<PartialPeripheralConv>builder()
                            .setChannels(channels)
                            .setMixer("mixer", mixer)
                            .optDropPathRate(builder.dropPathRates[j])
                            .optLayerScaleInit(builder.layerScaleInit)
                            .build();
            blocks.add(addChildBlock("blocks." + j, block));
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public int getChannels() {
        return channels;
    }

    public int getConvChannels() {
        return convChannels;
    }

    public int getKernelSize() {
        return kernelSize;
    }

    /** The shared embedding {@code (Cp, 1, K, K)}, or null when the stage has none. */
    public Parameter getPositionEmbedding() {
        return positionEmbedding;
    }

    public List<MixerBlock<PartialPeripheralConv>> getBlocks() {
        return Collections.unmodifiableList(blocks);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray embedding =
                positionEmbedding == null
                        ? null
                        : parameterStore.getValue(positionEmbedding, x.getDevice(), training);
        for (MixerBlock<PartialPeripheralConv> block : blocks) {
            NDList in = embedding == null ? new NDList(x) : new NDList(x, embedding);
            x = block.forward(parameterStore, in, training).singletonOrThrow();
        }
        return new NDList(x);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        for (MixerBlock<PartialPeripheralConv> block : blocks) {
            block.initialize(manager, dataType, inputShapes[0]);
        }
    }

    /**
     * Builds a {@link PeLKStage}. Required: {@link #setChannels}, {@link #setConvChannels}, {@link
     * #setKernelSize}, {@link #setDropPathRates} (one per block). Defaults: 5x5 centre, no small
     * kernel, layer scale 1e-6, positional embedding on, {@link DepthwiseConv.Path#AUTO}.
     */
    public static final class Builder {
        private int channels;
        private int convChannels;
        private int kernelSize;
        private int centreSize = 5;
        private int smallKernelSize;
        private float[] dropPathRates;
        private float layerScaleInit = 1e-6f;
        private boolean positionEmbedding = true;
        private DepthwiseConv.Path path = DepthwiseConv.Path.AUTO;

        private Builder() {}

        public Builder setChannels(int channels) {
            this.channels = channels;
            return this;
        }

        public Builder setConvChannels(int convChannels) {
            this.convChannels = convChannels;
            return this;
        }

        public Builder setKernelSize(int kernelSize) {
            this.kernelSize = kernelSize;
            return this;
        }

        /** The drop path rate of each block; their number is the stage's depth. */
        public Builder setDropPathRates(float... dropPathRates) {
            this.dropPathRates = dropPathRates.clone();
            return this;
        }

        public Builder optCentreSize(int centreSize) {
            this.centreSize = centreSize;
            return this;
        }

        public Builder optSmallKernelSize(int smallKernelSize) {
            this.smallKernelSize = smallKernelSize;
            return this;
        }

        public Builder optLayerScaleInit(double layerScaleInit) {
            this.layerScaleInit = (float) layerScaleInit;
            return this;
        }

        public Builder optPositionEmbedding(boolean positionEmbedding) {
            this.positionEmbedding = positionEmbedding;
            return this;
        }

        public Builder optPath(DepthwiseConv.Path path) {
            this.path = path;
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the first invalid setting
         */
        public PeLKStage build() {
            if (dropPathRates == null || dropPathRates.length == 0) {
                throw new IllegalArgumentException(
                        "PeLKStage needs one drop path rate per block (setDropPathRates), got "
                                + Arrays.toString(dropPathRates));
            }
            if (channels <= 0 || convChannels <= 0 || convChannels > channels) {
                throw new IllegalArgumentException(
                        "PeLKStage needs 1 <= convChannels <= channels, got "
                                + convChannels
                                + " of "
                                + channels);
            }
            SharingGrid.of(kernelSize, centreSize);
            return new PeLKStage(this);
        }
    }
}
