package io.seqvision.encoder;

import ai.djl.nn.Block;
import java.util.List;

/**
 * The surface every image encoder exposes; the decoder depends on this and nothing else.
 *
 * <p>Input: an {@code NDList} holding one float array of shape {@code (B, 3, H, W)}, the image
 * normalised per channel. Output: an {@code NDList} holding one array of shape {@code (B, C, H/s,
 * W/s)} where {@code C = outputChannels()} and {@code s = outputStride()}. H and W must be
 * multiples of {@code outputStride()}.
 *
 * <p>Encoders are DJL blocks: initialise them with {@code initialize(manager, FLOAT32, new
 * Shape(B, 3, H, W))} and save or load them with {@code saveParameters}/{@code loadParameters}.
 */
public interface Encoder extends Block {

    /** Channels {@code C} of the output feature map. */
    int outputChannels();

    /** Total downsampling factor {@code s} from the input image to the output feature map. */
    int outputStride();

    /**
     * What this encoder needs done around optimizer steps while it trains (SLaK's dynamic
     * sparsity); none by default. Call after the encoder is initialised.
     *
     * @param totalSteps the length of the training schedule
     */
    default List<TrainingHook> trainingHooks(long totalSteps) {
        return List.of();
    }
}
