package io.seqvision.encoder.hornet;

import io.seqvision.encoder.EncoderRegistry;
import io.seqvision.encoder.common.StagedEncoder;
import io.seqvision.encoder.OptionTable;

/**
 * The named HorNet configurations. In seqvision the small test variant is "-test" (formerly "-tiny"); the
 * paper's HorNet-T is {@code hornet-t} (7x7 mixer) and {@code hornet-t-gf} (global filter).
 */
public final class HorNetVariants {

    /** The paper's HorNet-T 7x7, without a head: stride 32, 512 channels. */
    public static final String T = "hornet-t";

    /** The paper's HorNet-T GF, without a head: stride 32, 512 channels. */
    public static final String T_GF = "hornet-t-gf";

    /** Test variant: stride 32, 128 channels, one block per stage, orders 2 to 5. */
    public static final String TINY = "hornet-test";

    /**
     * The encoder study's variant (see {@code bin/seqvision study}): three stages, stride 16,
     * trainable on a CPU at 128 px, about 0.5M parameters like every family's study variant.
     */
    public static final String STUDY = "hornet-study";

    /** The test variant's name before it was renamed; saved configs naming it still load. */
    public static final String FORMER_TINY_NAME = "hornet-tiny";

    /** What {@code model.encoder_options} may set on any HorNet variant. */
    public static final OptionTable<HorNet.Builder> OPTIONS =
            StagedEncoder.<HorNet.Builder>options()
                    .integers("orders", HorNet.Builder::optOrders)
                    .number("scale", HorNet.Builder::optScale)
                    .build();

    private HorNetVariants() {}

    /** Registers every variant under its name. */
    public static void registerAll(EncoderRegistry registry) {
        registry.register(T, HorNetVariants::tBuilder, OPTIONS, HorNet.Builder::build);
        registry.register(T_GF, HorNetVariants::tGfBuilder, OPTIONS, HorNet.Builder::build);
        registry.register(TINY, HorNetVariants::tinyBuilder, OPTIONS, HorNet.Builder::build);
        registry.registerFormerName(FORMER_TINY_NAME, TINY);
        registry.register(STUDY, HorNetVariants::studyBuilder, OPTIONS, HorNet.Builder::build);
    }

    /** HorNet-T 7x7 (22,409,512 parameters with the 1000-class head), here headless. */
    public static HorNet t() {
        return tBuilder().build();
    }

    /** HorNet-T 7x7's configuration ({@code hornet_tiny_7x7}), for adding options. */
    public static HorNet.Builder tBuilder() {
        return HorNet.builder()
                .setDepths(2, 3, 18, 2)
                .setDims(64, 128, 256, 512)
                .optOrders(2, 3, 4, 5);
    }

    /** HorNet-T GF (22,991,848 parameters with the 1000-class head), here headless. */
    public static HorNet tGf() {
        return tGfBuilder().build();
    }

    /**
     * HorNet-T GF's configuration ({@code hornet_tiny_gf}): global filters of 14x8 and 7x4
     * frequencies in stages 3 and 4, for adding options.
     */
    public static HorNet.Builder tGfBuilder() {
        return tBuilder()
                .optMixers(
                        SpatialMixer.depthwise7x7(),
                        SpatialMixer.depthwise7x7(),
                        SpatialMixer.globalFilter(14, 8),
                        SpatialMixer.globalFilter(7, 4));
    }

    /** The test variant: depths 1,1,1,1, dims 16,32,64,128, orders 2,3,4,5, 7x7 mixers. */
    public static HorNet tiny() {
        return tinyBuilder().build();
    }

    /** The test variant's configuration, for adding options. */
    public static HorNet.Builder tinyBuilder() {
        return HorNet.builder()
                .setDepths(1, 1, 1, 1)
                .setDims(16, 32, 64, 128)
                .optOrders(2, 3, 4, 5);
    }

    /** The study variant: gnConv orders 2,3,4 with 7x7 mixers; depths 1,1,3; dims 26,52,104; no layer scale, as every study variant (487,396 parameters). */
    public static HorNet.Builder studyBuilder() {
        return HorNet.builder().setDepths(1, 1, 3).setDims(26, 52, 104).optOrders(2, 3, 4).optLayerScaleInit(0);
    }
}
