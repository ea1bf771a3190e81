package io.seqvision.encoder.internimage;

import io.seqvision.encoder.EncoderRegistry;
import io.seqvision.encoder.OptionTable;

/**
 * The named InternImage configurations. In seqvision the small test variant is "-test" (formerly "-tiny");
 * the paper's InternImage-T is {@code internimage-t}.
 */
public final class InternImageVariants {

    /** The paper's InternImage-T, without a head: stride 32, 512 channels. */
    public static final String T = "internimage-t";

    /** Test variant: stride 32, 128 channels, one layer per level. */
    public static final String TINY = "internimage-test";

    /**
     * The encoder study's variant (see {@code bin/seqvision study}): three stages, stride 16,
     * trainable on a CPU at 128 px, about 0.5M parameters like every family's study variant.
     */
    public static final String STUDY = "internimage-study";

    /** The test variant's name before it was renamed; saved configs naming it still load. */
    public static final String FORMER_TINY_NAME = "internimage-tiny";

    /** What {@code model.encoder_options} may set on any InternImage variant. */
    public static final OptionTable<InternImage.Builder> OPTIONS =
            OptionTable.<InternImage.Builder>builder()
                    .number("drop_path_rate", InternImage.Builder::optDropPathRate)
                    .number("layer_scale_init", InternImage.Builder::optLayerScale)
                    .number("mlp_ratio", InternImage.Builder::optMlpRatio)
                    .number("offset_scale", InternImage.Builder::optOffsetScale)
                    .bool("post_norm", InternImage.Builder::optPostNorm)
                    .build();

    private InternImageVariants() {}

    /** Registers every variant under its name. */
    public static void registerAll(EncoderRegistry registry) {
        registry.register(T, InternImageVariants::tBuilder, OPTIONS, InternImage.Builder::build);
        registry.register(TINY, InternImageVariants::tinyBuilder, OPTIONS, InternImage.Builder::build);
        registry.registerFormerName(FORMER_TINY_NAME, TINY);
        registry.register(STUDY, InternImageVariants::studyBuilder, OPTIONS, InternImage.Builder::build);
    }

    /** InternImage-T (29,918,424 parameters with the 1000-class head), here headless. */
    public static InternImage t() {
        return tBuilder().build();
    }

    /**
     * InternImage-T's configuration ({@code internimage_t_1k_224.yaml}: channels 64, depths
     * 4,4,18,4, groups 4,8,16,32, pre-norm, no layer scale, offset scale 1), for adding options.
     */
    public static InternImage.Builder tBuilder() {
        return InternImage.builder().setChannels(64).setDepths(4, 4, 18, 4).setGroups(4, 8, 16, 32);
    }

    /** The test variant: channels 16, depths 1,1,1,1, groups 2,4,8,16 (8 channels per group). */
    public static InternImage tiny() {
        return tinyBuilder().build();
    }

    /** The test variant's configuration, for adding options. */
    public static InternImage.Builder tinyBuilder() {
        return InternImage.builder().setChannels(16).setDepths(1, 1, 1, 1).setGroups(2, 4, 8, 16);
    }

    /** The study variant: DCNv3 with groups 2,4,8 (13 channels a group); depths 1,1,3; channels 26,52,104 (507,498 parameters). */
    public static InternImage.Builder studyBuilder() {
        return InternImage.builder().setChannels(26).setDepths(1, 1, 3).setGroups(2, 4, 8);
    }
}
