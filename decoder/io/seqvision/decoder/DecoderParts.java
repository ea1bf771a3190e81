package io.seqvision.decoder;

import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.TruncatedNormalInitializer;
import ai.djl.training.initializer.XavierInitializer;

/**
 * Shared pieces of the decoder's blocks. The initialisation scheme lives here in one place:
 * embeddings from a normal distribution with standard deviation 0.02 truncated at two standard
 * deviations; linear layers Glorot-uniform (Keras' default, which Pix2Seq's dense layers use);
 * biases zero, LayerNorm gamma one and beta zero.
 *
 * <p>Why not 0.02 for the linear layers too (the BERT/GPT convention): at the widths that train
 * on a CPU (128-256) it makes attention logits ~0.05, so attention starts uniform and its query
 * and key gradients start tiny; measured on shapes, the decoder then ignored the image for
 * thousands of steps. Glorot keeps the logits' scale near 1 at any width.
 */
final class DecoderParts {

    static final float WEIGHT_STD = 0.02f;

    private DecoderParts() {}

    /** The embeddings' initialiser. */
    static Initializer weightInitializer() {
        return new TruncatedNormalInitializer(WEIGHT_STD);
    }

    /** Glorot uniform: U(-a, a) with a = sqrt(6 / (fan_in + fan_out)). */
    static Initializer linearInitializer() {
        return new XavierInitializer(XavierInitializer.RandomType.UNIFORM, XavierInitializer.FactorType.AVG, 3);
    }

    /** A linear layer {@code (..., in) -> (..., units)} with bias, initialised as above. */
    static Linear linear(long units) {
        Linear linear = Linear.builder().setUnits(units).build();
        linear.setInitializer(linearInitializer(), Parameter.Type.WEIGHT);
        return linear;
    }

    /**
     * A LayerNorm over the last axis of a 3-D input {@code (B, L, D)}; DJL's default would
     * normalise over every axis after the first, which ties the parameters to one sequence length.
     */
    static LayerNorm layerNormOverLastAxisOf3d() {
        return LayerNorm.builder().axis(2).build();
    }

    static void checkDropout(float dropout) {
        if (!(dropout >= 0f && dropout < 1f)) {
            throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
        }
    }
}
