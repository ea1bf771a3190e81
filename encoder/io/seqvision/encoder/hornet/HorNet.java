package io.seqvision.encoder.hornet;

import ai.djl.nn.Block;
import io.seqvision.encoder.Encoder;
import io.seqvision.encoder.checkpoint.RenameTable;
import io.seqvision.encoder.common.MixerBlock;
import io.seqvision.encoder.common.StagedEncoder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * HorNet (Rao et al., "HorNet: Efficient High-Order Spatial Interactions with Recursive Gated
 * Convolutions", arXiv 2207.14284) as a seqvision {@link Encoder}, following raoyongming/HorNet
 * {@code hornet.py}: the {@link StagedEncoder} layout with {@link MixerBlock}s of the {@link
 * MixerBlock.Layout#MIXER_RESIDUAL} layout whose mixer ({@code gnconv}) is a {@link GnConv} of a
 * per-stage order (2, 3, 4, 5 in every official variant) and spatial mixer.
 *
 * <p>Input {@code (B, 3, H, W)}, output {@code (B, dims[last], H/s, W/s)}; see {@link
 * StagedEncoder} for the layout, heads and init (complex filters too are normal with std 0.02).
 */
public final class HorNet extends StagedEncoder {

    private final int[] orders;
    private final SpatialMixer[] mixers;
    private final double scale;

    private HorNet(Builder builder) {
        super("HorNet", builder);
        orders = builder.orders.clone();
        mixers = builder.mixers.clone();
        scale = builder.scale;
        buildLayers();
    }

    public static Builder builder() {
        return new Builder();
    }

    public int[] getOrders() {
        return orders.clone();
    }

    public List<SpatialMixer> getMixers() {
        return List.of(mixers);
    }

    /** The blocks of all stages in order. */
    public List<MixerBlock<GnConv>> getBlocks() {
        return stageBlocksAs();
    }

    @Override
    protected List<Block> stageBlocks(int stage, float[] dropPathRates) {
        List<Block> blocks = new ArrayList<>();
        for (float rate : dropPathRates) {
            blocks.add(block(getDims()[stage], orders[stage], mixers[stage], scale, rate, getLayerScaleInit()));
        }
        return blocks;
    }

    /** One HorNet block: input and output {@code (B, channels, H, W)}. */
    public static MixerBlock<GnConv> block(
            int channels, int order, SpatialMixer mixer, double scale, double dropPathRate, double layerScaleInit) {
        GnConv gnconv = GnConv.builder().setChannels(channels).setOrder(order).optMixer(mixer).optScale(scale).build();
        return MixerBlock.<GnConv>builder()
                .setChannels(channels)
                .setMixer("gnconv", gnconv)
                .optLayout(MixerBlock.Layout.MIXER_RESIDUAL)
                .optDropPathRate(dropPathRate)
                .optLayerScaleInit(layerScaleInit)
                .build();
    }

    @Override
    protected String describeMixers() {
        return "orders " + Arrays.toString(orders) + ", mixers " + Arrays.toString(mixers);
    }

    @Override
    public RenameTable checkpointNames() {
        return HorNetWeights.NAMES;
    }

    /**
     * Builds a {@link HorNet}: the {@link StagedEncoder.Builder} settings and the gnConv settings.
     * Defaults: orders 2, 3, 4, 5, ... (stage {@code i} has order {@code i + 2}), the 7x7 depthwise
     * mixer in every stage, scale 1/3.
     */
    public static final class Builder extends StagedEncoder.Builder<Builder> {
        private int[] orders;
        private SpatialMixer[] mixers;
        private double scale = GnConv.OFFICIAL_SCALE;

        private Builder() {}

        @Override
        protected Builder self() {
            return this;
        }

        /** The gnConv order of each stage. */
        public Builder optOrders(int... orders) {
            this.orders = orders.clone();
            return this;
        }

        /** The spatial mixer of each stage. */
        public Builder optMixers(SpatialMixer... mixers) {
            this.mixers = mixers.clone();
            return this;
        }

        public Builder optScale(double scale) {
            this.scale = scale;
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the first invalid setting
         */
        public HorNet build() {
            validate("HorNet");
            int stages = stages();
            if (orders == null) {
                orders = new int[stages];
                for (int i = 0; i < stages; i++) {
                    orders[i] = i + 2;
                }
            }
            if (mixers == null) {
                mixers = new SpatialMixer[stages];
                Arrays.fill(mixers, SpatialMixer.depthwise7x7());
            }
            validate("HorNet", "order", orders, "mixer", mixers);
            for (int i = 0; i < stages; i++) {
                int stage = i;
                checkStage("HorNet", stage, () -> GnConv.checkConfiguration(dims()[stage], orders[stage], mixers[stage]));
            }
            if (!Double.isFinite(scale)) {
                throw new IllegalArgumentException("HorNet needs a finite scale, got " + scale);
            }
            return new HorNet(this);
        }
    }
}
