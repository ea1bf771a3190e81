package io.seqvision.encoder.convnext;

import io.seqvision.encoder.EncoderRegistry;
import io.seqvision.encoder.common.StagedEncoder;
import io.seqvision.encoder.OptionTable;

/**
 * The named ConvNeXt configurations. In seqvision the small test variant is "-test" (formerly "-tiny"); the
 * paper's ConvNeXt-T is {@code convnext-t}.
 */
public final class ConvNeXtVariants {

    /** The paper's ConvNeXt-T, without a head: stride 32, 768 channels. */
    public static final String T = "convnext-t";

    /** Test variant: stride 32, 64 channels, one block per stage. */
    public static final String TINY = "convnext-test";

    /**
     * The encoder study's variant (see {@code bin/seqvision study}): three stages, stride 16,
     * trainable on a CPU at 128 px, about 0.5M parameters like every family's study variant.
     */
    public static final String STUDY = "convnext-study";

    /** The test variant's name before it was renamed; saved configs naming it still load. */
    public static final String FORMER_TINY_NAME = "convnext-tiny";

    /** Three stages for CPU training on 128 px images: stride 16, 192 channels. */
    public static final String S16_SMALL = "convnext-s16-small";

    /** Three small stages for fast CPU training on 128 px images: stride 16, 128 channels. */
    public static final String S16_NANO = "convnext-s16-nano";

    /** Two stages for CPU training on small images: stride 8, 64 channels, a finer feature grid. */
    public static final String S8_NANO = "convnext-s8-nano";

    /** What {@code model.encoder_options} may set on any ConvNeXt variant. */
    public static final OptionTable<ConvNeXt.Builder> OPTIONS =
            StagedEncoder.<ConvNeXt.Builder>options()
                    .integer("kernel_size", ConvNeXt.Builder::optKernelSize)
                    .build();

    private ConvNeXtVariants() {}

    /** Registers every variant under its name. */
    public static void registerAll(EncoderRegistry registry) {
        registry.register(T, ConvNeXtVariants::tBuilder, OPTIONS, ConvNeXt.Builder::build);
        registry.register(TINY, ConvNeXtVariants::tinyBuilder, OPTIONS, ConvNeXt.Builder::build);
        registry.registerFormerName(FORMER_TINY_NAME, TINY);
        registry.register(STUDY, ConvNeXtVariants::studyBuilder, OPTIONS, ConvNeXt.Builder::build);
        registry.register(S16_SMALL, ConvNeXtVariants::s16SmallBuilder, OPTIONS, ConvNeXt.Builder::build);
        registry.register(S16_NANO, ConvNeXtVariants::s16NanoBuilder, OPTIONS, ConvNeXt.Builder::build);
        registry.register(S8_NANO, ConvNeXtVariants::s8NanoBuilder, OPTIONS, ConvNeXt.Builder::build);
    }

    /** The paper's ConvNeXt-T (28.6M parameters with the 1000-class head), here headless. */
    public static ConvNeXt t() {
        return tBuilder().build();
    }

    /** ConvNeXt-T's configuration, for adding options such as a head or a drop path rate. */
    public static ConvNeXt.Builder tBuilder() {
        return ConvNeXt.builder().setDepths(3, 3, 9, 3).setDims(96, 192, 384, 768);
    }

    /** The test variant: depths 1,1,1,1, dims 16,32,48,64. */
    public static ConvNeXt tiny() {
        return tinyBuilder().build();
    }

    /** The test variant's configuration, for adding options. */
    public static ConvNeXt.Builder tinyBuilder() {
        return ConvNeXt.builder().setDepths(1, 1, 1, 1).setDims(16, 32, 48, 64);
    }

    /** Stride-16 CPU training variant: depths 2,2,4, dims 48,96,192. */
    public static ConvNeXt s16Small() {
        return s16SmallBuilder().build();
    }

    /** The stride-16 variant's configuration, for adding options. */
    public static ConvNeXt.Builder s16SmallBuilder() {
        return ConvNeXt.builder().setDepths(2, 2, 4).setDims(48, 96, 192);
    }

    /** Stride-16 CPU training variant, the default config's: depths 1,1,3, dims 32,64,128. */
    public static ConvNeXt s16Nano() {
        return s16NanoBuilder().build();
    }

    /** The stride-16 nano configuration, for adding options. */
    public static ConvNeXt.Builder s16NanoBuilder() {
        return ConvNeXt.builder().setDepths(1, 1, 3).setDims(32, 64, 128);
    }

    /** Stride-8 CPU training variant: depths 1,3, dims 32,64. */
    public static ConvNeXt s8Nano() {
        return s8NanoBuilder().build();
    }

    /** The stride-8 nano configuration, for adding options. */
    public static ConvNeXt.Builder s8NanoBuilder() {
        return ConvNeXt.builder().setDepths(1, 3).setDims(32, 64);
    }

    /** The study variant: depths 1,1,3, dims 32,64,128, 7x7 kernels; no layer scale, as every study variant: the official 1e-6 start keeps a block nearly off over a short schedule such as the study's (504,768 parameters). */
    public static ConvNeXt.Builder studyBuilder() {
        return ConvNeXt.builder().setDepths(1, 1, 3).setDims(32, 64, 128).optLayerScaleInit(0);
    }
}
