package io.seqvision.encoder.slak;

import io.seqvision.encoder.EncoderRegistry;
import io.seqvision.encoder.common.DepthwiseConv;
import io.seqvision.encoder.common.StagedEncoder;
import io.seqvision.encoder.OptionTable;

/**
 * The named SLaK configurations. The paper's SLaK-T is {@code slak-t}; {@code slak-tiny} is the
 * small test variant.
 */
public final class SLaKVariants {

    /** The paper's SLaK-T, without a head: stride 32, 998 channels. */
    public static final String T = "slak-t";

    /** Test variant with SLaK-T's kernels and width factor: stride 32, 83 channels. */
    public static final String TINY = "slak-test";

    /**
     * The encoder study's variant (see {@code bin/seqvision study}): three stages, stride 16,
     * trainable on a CPU at 128 px, about 0.5M parameters like every family's study variant.
     */
    public static final String STUDY = "slak-study";

    /** The test variant's name before it was renamed; saved configs naming it still load. */
    public static final String FORMER_TINY_NAME = "slak-tiny";

    /** What {@code model.encoder_options} may set on any SLaK variant. */
    public static final OptionTable<SLaK.Builder> OPTIONS =
            StagedEncoder.<SLaK.Builder>options()
                    .integers("kernels", SLaK.Builder::setKernels)
                    .integer("small_kernel_size", SLaK.Builder::optSmallKernelSize)
                    .number("width_factor", SLaK.Builder::optWidthFactor)
                    .choice("depthwise_path", DepthwiseConv.Path.class, SLaK.Builder::optPath)
                    .build();

    private SLaKVariants() {}

    /** Registers every variant under its name. */
    public static void registerAll(EncoderRegistry registry) {
        registry.register(T, SLaKVariants::tBuilder, OPTIONS, SLaK.Builder::build);
        registry.register(TINY, SLaKVariants::tinyBuilder, OPTIONS, SLaK.Builder::build);
        registry.registerFormerName(FORMER_TINY_NAME, TINY);
        registry.register(STUDY, SLaKVariants::studyBuilder, OPTIONS, SLaK.Builder::build);
    }

    /** SLaK-T (50,703,838 dense parameters with the 1000-class head), here headless. */
    public static SLaK t() {
        return tBuilder().build();
    }

    /**
     * SLaK-T's configuration: depths 3,3,9,3; dims 96,192,384,768 widened 1.3x to 124,249,499,998;
     * kernels 51,49,47,13 decomposed with N = 5.
     */
    public static SLaK.Builder tBuilder() {
        return SLaK.builder()
                .setDepths(3, 3, 9, 3)
                .setDims(96, 192, 384, 768)
                .optWidthFactor(1.3)
                .setKernels(51, 49, 47, 13)
                .optSmallKernelSize(5);
    }

    /** The test variant: depths 1,1,1,1; dims 16,32,48,64 widened 1.3x to 20,41,62,83. */
    public static SLaK tiny() {
        return tinyBuilder().build();
    }

    /** The test variant's configuration, for adding options. */
    public static SLaK.Builder tinyBuilder() {
        return SLaK.builder()
                .setDepths(1, 1, 1, 1)
                .setDims(16, 32, 48, 64)
                .optWidthFactor(1.3)
                .setKernels(51, 49, 47, 13)
                .optSmallKernelSize(5);
    }

    /** The study variant: SLaK-T's kernels 51,49,47 scaled by the feature sizes to 29,27,27, decomposed with N = 5 and trained with dynamic sparsity; depths 1,1,3; widths 1.3 x 22,44,88 = 28,57,114; no layer scale, as every study variant (513,179 parameters). */
    public static SLaK.Builder studyBuilder() {
        return SLaK.builder()
                .setDepths(1, 1, 3)
                .setDims(22, 44, 88)
                .optWidthFactor(1.3)
                .setKernels(29, 27, 27)
                .optSmallKernelSize(5)
                .optLayerScaleInit(0);
    }
}
