package io.seqvision.encoder.pelk;

import ai.djl.nn.Block;
import io.seqvision.encoder.Encoder;
import io.seqvision.encoder.checkpoint.RenameTable;
import io.seqvision.encoder.common.DepthwiseConv;
import io.seqvision.encoder.common.MixerBlock;
import io.seqvision.encoder.common.StagedEncoder;
import java.util.Arrays;
import java.util.List;

/**
 * PeLK (Chen et al., "PeLK: Parameter-efficient Large Kernel ConvNets with Peripheral Convolution",
 * CVPR 2024, arXiv 2403.07589) as a seqvision {@link Encoder}. There is no official code; this
 * follows the paper: SLaK's macro design (the {@link StagedEncoder} layout) with {@link
 * MixerBlock}s whose mixer ({@code mixer}) is a {@link PartialPeripheralConv}, one {@link
 * PeLKStage} (and positional embedding) per stage: of stage {@code i}'s {@code dims[i]} channels,
 * the first {@code int(dims[i] * partialRatio)} pass the peripheral conv of kernel {@code
 * kernels[i]}.
 *
 * <p>Input {@code (B, 3, H, W)}, output {@code (B, dims[last], H/s, W/s)}; see {@link
 * StagedEncoder} for the layout, heads and init (the peripheral kernels and positional embeddings
 * too are normal with std 0.02). Its own names ({@link #officialParameters}) are {@code
 * stages.i.0.pos_embed} and {@code stages.i.0.blocks.j.<block>}. The paper trains with SLaK's
 * dynamic sparsity (40%); this model is dense.
 */
public final class PeLK extends StagedEncoder {

    private final int[] kernels;
    private final double partialRatio;
    private final int centreSize;
    private final int smallKernelSize;
    private final boolean positionEmbedding;
    private final DepthwiseConv.Path path;

    private PeLK(Builder builder) {
        super("PeLK", builder);
        kernels = builder.kernels.clone();
        partialRatio = builder.partialRatio;
        centreSize = builder.centreSize;
        smallKernelSize = builder.smallKernelSize;
        positionEmbedding = builder.positionEmbedding;
        path = builder.path;
        buildLayers();
    }

    /** {@code int(channels * ratio)}, at least 1: the channels that pass the peripheral conv. */
    public static int convChannels(int channels, double ratio) {
        return Math.max(1, (int) (channels * ratio));
    }

    /**
     * {@code int(d * factor)} for each d, as SLaK widens ConvNeXt's stages (1.3: 124, 249, ...).
     */
    public static int[] scaledWidths(double factor, int... dims) {
        int[] widths = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            widths[i] = (int) (dims[i] * factor);
        }
        return widths;
    }

    public static Builder builder() {
        return new Builder();
    }

    public int[] getKernels() {
        return kernels.clone();
    }

    public List<PeLKStage> getStages() {
        return stageBlocksAs();
    }

    @Override
    protected List<Block> stageBlocks(int stage, float[] dropPathRates) {
        return List.of(PeLKStage.builder()
                .setChannels(getDims()[stage])
                .setConvChannels(convChannels(getDims()[stage], partialRatio))
                .setKernelSize(kernels[stage])
                .setDropPathRates(dropPathRates)
                .optCentreSize(centreSize)
                .optSmallKernelSize(smallKernelSize)
                .optLayerScaleInit(getLayerScaleInit())
                .optPositionEmbedding(positionEmbedding)
                .optPath(path)
                .build());
    }

    @Override
    protected String describeMixers() {
        return "kernels " + Arrays.toString(kernels) + ", partial ratio " + partialRatio + ", centre " + centreSize
                + ", small kernel " + smallKernelSize + ", position embedding " + (positionEmbedding ? "on" : "off");
    }

    /** PeLK has no official checkpoints: names are the model's own. */
    @Override
    public RenameTable checkpointNames() {
        return RenameTable.builder().head("norm.").head("head.").build();
    }

    /**
     * Builds a {@link PeLK}: the {@link StagedEncoder.Builder} settings (dims already widened; see
     * {@link PeLK#scaledWidths}) and, required, {@link #setKernels}. Defaults: partial ratio 3/8, 5x5
     * fine-grained centre, no small kernel, positional embeddings on, {@link DepthwiseConv.Path#AUTO}.
     */
    public static final class Builder extends StagedEncoder.Builder<Builder> {
        private int[] kernels;
        private double partialRatio = 3.0 / 8;
        private int centreSize = 5;
        private int smallKernelSize;
        private boolean positionEmbedding = true;
        private DepthwiseConv.Path path = DepthwiseConv.Path.AUTO;

        private Builder() {}

        @Override
        protected Builder self() {
            return this;
        }

        /** Peripheral kernel size of each stage (odd). */
        public Builder setKernels(int... kernels) {
            this.kernels = kernels.clone();
            return this;
        }

        /** The fraction of each stage's channels that pass the peripheral conv, in (0, 1]. */
        public Builder optPartialRatio(double partialRatio) {
            this.partialRatio = partialRatio;
            return this;
        }

        public Builder optCentreSize(int centreSize) {
            this.centreSize = centreSize;
            return this;
        }

        /** A parallel small depthwise kernel in every mixer (SLaK's 5x5); 0 for none. */
        public Builder optSmallKernelSize(int smallKernelSize) {
            this.smallKernelSize = smallKernelSize;
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
        public PeLK build() {
            if (kernels == null) {
                throw new IllegalArgumentException("PeLK needs kernels (setKernels)");
            }
            validate("PeLK", "kernel", kernels);
            if (!(partialRatio > 0 && partialRatio <= 1)) {
                throw new IllegalArgumentException("PeLK partial ratio must be in (0, 1], got " + partialRatio);
            }
            for (int i = 0; i < stages(); i++) {
                int stage = i;
                checkStage("PeLK", stage, () -> SharingGrid.of(kernels[stage], centreSize));
            }
            if (smallKernelSize < 0 || (smallKernelSize > 0 && smallKernelSize % 2 == 0)) {
                throw new IllegalArgumentException("PeLK small kernel must be 0 or odd, got " + smallKernelSize);
            }
            if (path == null) {
                throw new IllegalArgumentException("PeLK path must not be null");
            }
            return new PeLK(this);
        }
    }
}
