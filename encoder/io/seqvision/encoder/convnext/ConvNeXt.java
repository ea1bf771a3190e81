package io.seqvision.encoder.convnext;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import io.seqvision.encoder.Encoder;
import io.seqvision.encoder.checkpoint.RenameTable;
import io.seqvision.encoder.common.MixerBlock;
import io.seqvision.encoder.common.StagedEncoder;
import java.util.ArrayList;
import java.util.List;

/**
 * ConvNeXt (Liu et al., "A ConvNet for the 2020s", arXiv 2201.03545) as a seqvision {@link
 * Encoder}, following facebookresearch/ConvNeXt {@code models/convnext.py}: the {@link
 * StagedEncoder} layout with {@link MixerBlock}s whose mixer is a {@code k x k} depthwise conv
 * ({@code dwconv}, with bias, padding {@code k/2}).
 *
 * <p>Input {@code (B, 3, H, W)}, output {@code (B, dims[last], H/s, W/s)} with {@code s = 4 *
 * 2^(stages-1)}; see {@link StagedEncoder} for the layout, heads and init.
 */
public final class ConvNeXt extends StagedEncoder {

    /**
     * The layer scale's name in seqvision's saved parameters since the first release ({@code gamma}
     * in the official state dict; {@link io.seqvision.encoder.common.OfficialWeights} maps it).
     */
    static final String SAVED_LAYER_SCALE_NAME = "layerScale";

    private final int kernelSize;

    private ConvNeXt(Builder builder) {
        super("ConvNeXt", builder);
        kernelSize = builder.kernelSize;
        buildLayers();
    }

    public static Builder builder() {
        return new Builder();
    }

    public int getKernelSize() {
        return kernelSize;
    }

    /** The blocks of all stages in order. */
    public List<MixerBlock<Conv2d>> getBlocks() {
        return stageBlocksAs();
    }

    @Override
    protected List<Block> stageBlocks(int stage, float[] dropPathRates) {
        int channels = getDims()[stage];
        List<Block> blocks = new ArrayList<>();
        for (float rate : dropPathRates) {
            blocks.add(block(channels, kernelSize, rate, getLayerScaleInit()));
        }
        return blocks;
    }

    /** One ConvNeXt block: input and output {@code (B, channels, H, W)}. */
    public static MixerBlock<Conv2d> block(int channels, int kernelSize, double dropPathRate, double layerScaleInit) {
        checkKernelSize(kernelSize);
        Conv2d dwconv = Conv2d.builder()
                .setKernelShape(new Shape(kernelSize, kernelSize))
                .optPadding(new Shape(kernelSize / 2, kernelSize / 2))
                .optGroups(channels)
                .setFilters(channels)
                .build();
        return MixerBlock.<Conv2d>builder()
                .setChannels(channels)
                .setMixer("dwconv", dwconv)
                .optLayerScaleName(SAVED_LAYER_SCALE_NAME)
                .optDropPathRate(dropPathRate)
                .optLayerScaleInit(layerScaleInit)
                .build();
    }

    @Override
    protected String describeMixers() {
        return "kernel " + kernelSize;
    }

    @Override
    public RenameTable checkpointNames() {
        return ConvNeXtWeights.NAMES;
    }

    private static void checkKernelSize(int kernelSize) {
        if (kernelSize <= 0 || kernelSize % 2 == 0) {
            throw new IllegalArgumentException("ConvNeXt kernel size must be odd and positive, got " + kernelSize);
        }
    }

    /**
     * Builds a {@link ConvNeXt}: the {@link StagedEncoder.Builder} settings and the depthwise kernel
     * size (default 7, odd).
     */
    public static final class Builder extends StagedEncoder.Builder<Builder> {
        private int kernelSize = 7;

        private Builder() {}

        @Override
        protected Builder self() {
            return this;
        }

        /** Depthwise kernel size of every block (odd). */
        public Builder optKernelSize(int kernelSize) {
            this.kernelSize = kernelSize;
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the first invalid setting
         */
        public ConvNeXt build() {
            validate("ConvNeXt");
            checkKernelSize(kernelSize);
            return new ConvNeXt(this);
        }
    }
}
