package io.seqvision.encoder.pelk;

import io.seqvision.encoder.EncoderRegistry;
import io.seqvision.encoder.common.DepthwiseConv;
import io.seqvision.encoder.common.StagedEncoder;
import io.seqvision.encoder.OptionTable;

/**
 * The named PeLK configurations. In seqvision the small test variant is "-test" (formerly "-tiny"); the
 * paper's PeLK-T is {@code pelk-t}.
 */
public final class PeLKVariants {

    /** The paper's PeLK-T (dense), without a head: stride 32, 998 channels. */
    public static final String T = "pelk-t";

    /** Test variant: stride 32, 64 channels, one block per stage, kernels 13 to 7. */
    public static final String TINY = "pelk-test";

    /**
     * The encoder study's variant (see {@code bin/seqvision study}): three stages, stride 16,
     * trainable on a CPU at 128 px, about 0.5M parameters like every family's study variant.
     */
    public static final String STUDY = "pelk-study";

    /** The test variant's name before it was renamed; saved configs naming it still load. */
    public static final String FORMER_TINY_NAME = "pelk-tiny";

    /** What {@code model.encoder_options} may set on any PeLK variant. */
    public static final OptionTable<PeLK.Builder> OPTIONS =
            StagedEncoder.<PeLK.Builder>options()
                    .integers("kernels", PeLK.Builder::setKernels)
                    .number("partial_ratio", PeLK.Builder::optPartialRatio)
                    .integer("centre_size", PeLK.Builder::optCentreSize)
                    .integer("small_kernel_size", PeLK.Builder::optSmallKernelSize)
                    .bool("position_embedding", PeLK.Builder::optPositionEmbedding)
                    .choice("depthwise_path", DepthwiseConv.Path.class, PeLK.Builder::optPath)
                    .build();

    private PeLKVariants() {}

    /** Registers every variant under its name. */
    public static void registerAll(EncoderRegistry registry) {
        registry.register(T, PeLKVariants::tBuilder, OPTIONS, PeLK.Builder::build);
        registry.register(TINY, PeLKVariants::tinyBuilder, OPTIONS, PeLK.Builder::build);
        registry.registerFormerName(FORMER_TINY_NAME, TINY);
        registry.register(STUDY, PeLKVariants::studyBuilder, OPTIONS, PeLK.Builder::build);
    }

    /** PeLK-T, here headless and dense (48,652,828 parameters with the 1000-class head). */
    public static PeLK t() {
        return tBuilder().build();
    }

    /**
     * PeLK-T's configuration: SLaK-T's macro design (depths 3,3,9,3; widths 1.3 x ConvNeXt-T's =
     * 124, 249, 499, 998), peripheral kernels 51, 49, 47, 13 with a 5x5 fine centre, 3/8 of the
     * channels through the peripheral conv; for adding options.
     */
    public static PeLK.Builder tBuilder() {
        return PeLK.builder()
                .setDepths(3, 3, 9, 3)
                .setDims(PeLK.scaledWidths(1.3, 96, 192, 384, 768))
                .setKernels(51, 49, 47, 13);
    }

    /** The test variant: depths 1,1,1,1, dims 16,32,48,64, kernels 13,11,9,7. */
    public static PeLK tiny() {
        return tinyBuilder().build();
    }

    /** The test variant's configuration, for adding options. */
    public static PeLK.Builder tinyBuilder() {
        return PeLK.builder()
                .setDepths(1, 1, 1, 1)
                .setDims(16, 32, 48, 64)
                .setKernels(13, 11, 9, 7);
    }

    /** The study variant: peripheral kernels 29,27,27 (PeLK-T's 51,49,47 scaled by the feature sizes) with a 5x5 fine centre, 3/8 of the channels; depths 1,1,3; dims 30,60,120; no layer scale, as every study variant (501,974 parameters). */
    public static PeLK.Builder studyBuilder() {
        return PeLK.builder().setDepths(1, 1, 3).setDims(30, 60, 120).setKernels(29, 27, 27).optLayerScaleInit(0);
    }
}
