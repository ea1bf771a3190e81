package io.seqvision.encoder.replknet;

import io.seqvision.encoder.EncoderRegistry;
import io.seqvision.encoder.common.DepthwiseConv;
import io.seqvision.encoder.OptionTable;

/**
 * The named RepLKNet configurations. The paper's RepLKNet-31B is {@code replknet-31b}; {@code
 * replknet-tiny} is the small test variant.
 */
public final class RepLKNetVariants {

    /** The paper's RepLKNet-31B, without a head: stride 32, 1024 channels. */
    public static final String B31 = "replknet-31b";

    /** The paper's RepLKNet-31L, without a head: stride 32, 1536 channels. */
    public static final String L31 = "replknet-31l";

    /** The paper's RepLKNet-XL, without a head: stride 32, 2048 channels, dw ratio 1.5. */
    public static final String XL = "replknet-xl";

    /** Test variant with the 31B kernels: stride 32, 64 channels, one pair per stage. */
    public static final String TINY = "replknet-test";

    /**
     * The encoder study's variant (see {@code bin/seqvision study}): three stages, stride 16,
     * trainable on a CPU at 128 px, about 0.5M parameters like every family's study variant.
     */
    public static final String STUDY = "replknet-study";

    /** The test variant's name before it was renamed; saved configs naming it still load. */
    public static final String FORMER_TINY_NAME = "replknet-tiny";

    /** What {@code model.encoder_options} may set on any RepLKNet variant. */
    public static final OptionTable<RepLKNet.Builder> OPTIONS =
            OptionTable.<RepLKNet.Builder>builder()
                    .number("drop_path_rate", RepLKNet.Builder::optDropPathRate)
                    .integers("kernels", RepLKNet.Builder::setKernels)
                    .integer("small_kernel_size", RepLKNet.Builder::optSmallKernelSize)
                    .number("dw_ratio", RepLKNet.Builder::optDwRatio)
                    .integer("ffn_ratio", RepLKNet.Builder::optFfnRatio)
                    .choice("depthwise_path", DepthwiseConv.Path.class, RepLKNet.Builder::optPath)
                    .build();

    private RepLKNetVariants() {}

    /** Registers every variant under its name. */
    public static void registerAll(EncoderRegistry registry) {
        registry.register(B31, RepLKNetVariants::b31Builder, OPTIONS, RepLKNet.Builder::build);
        registry.register(L31, RepLKNetVariants::l31Builder, OPTIONS, RepLKNet.Builder::build);
        registry.register(XL, RepLKNetVariants::xlBuilder, OPTIONS, RepLKNet.Builder::build);
        registry.register(TINY, RepLKNetVariants::tinyBuilder, OPTIONS, RepLKNet.Builder::build);
        registry.registerFormerName(FORMER_TINY_NAME, TINY);
        registry.register(STUDY, RepLKNetVariants::studyBuilder, OPTIONS, RepLKNet.Builder::build);
    }

    /** RepLKNet-31B (79,864,168 parameters with the 1000-class head), here headless. */
    public static RepLKNet b31() {
        return b31Builder().build();
    }

    /** RepLKNet-31B's configuration: kernels 31,29,27,13; layers 2,2,18,2; 128..1024 channels. */
    public static RepLKNet.Builder b31Builder() {
        return RepLKNet.builder()
                .setKernels(31, 29, 27, 13)
                .setLayers(2, 2, 18, 2)
                .setChannels(128, 256, 512, 1024);
    }

    /** RepLKNet-31L's configuration ({@code create_RepLKNet31L}): 31B's kernels, 192..1536 channels. */
    public static RepLKNet.Builder l31Builder() {
        return b31Builder().setChannels(192, 384, 768, 1536);
    }

    /**
     * RepLKNet-XL's configuration ({@code create_RepLKNetXL}): kernels 27,27,27,13, 256..2048
     * channels, no small kernel, the large kernels on 1.5x the channels.
     */
    public static RepLKNet.Builder xlBuilder() {
        return b31Builder()
                .setKernels(27, 27, 27, 13)
                .setChannels(256, 512, 1024, 2048)
                .optSmallKernelSize(0)
                .optDwRatio(1.5);
    }

    /** The test variant: kernels 31,29,27,13; one pair per stage; channels 16,32,48,64. */
    public static RepLKNet tiny() {
        return tinyBuilder().build();
    }

    /** The test variant's configuration, for adding options. */
    public static RepLKNet.Builder tinyBuilder() {
        return RepLKNet.builder()
                .setKernels(31, 29, 27, 13)
                .setLayers(1, 1, 1, 1)
                .setChannels(16, 32, 48, 64);
    }

    /** The study variant: 31B's kernels 31,29,27 scaled by the feature sizes (128 px against 224) to 17,17,15 with the 5x5 branch; pairs 1,1,2; channels 32,64,128 (504,992 parameters). */
    public static RepLKNet.Builder studyBuilder() {
        return RepLKNet.builder().setKernels(17, 17, 15).setLayers(1, 1, 2).setChannels(32, 64, 128);
    }
}
