package io.seqvision.tasks.config;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The network.
 *
 * @param encoder        a name from the encoder registry
 * @param imageSize      images are resized to this square side (a multiple of the encoder's stride)
 * @param encoderWeights a checkpoint ({@code .pth}, {@code .pt}, safetensors) whose weights the
 *                       encoder starts from when training starts; "" for none
 * @param pixelMean      per-channel mean (RGB, 0..1) subtracted from input pixels
 * @param pixelStd       per-channel deviation input pixels are divided by
 * @param encoderOptions settings of the encoder variant by name ({@code drop_path_rate}, {@code
 *                       kernels}, ...; the encoder's family says which), applied when it is built
 *                       for training and inference alike; empty for the variant as registered
 */
public record ModelConfig(String encoder, int imageSize, DecoderConfig decoder, String encoderWeights,
        List<Double> pixelMean, List<Double> pixelStd, Map<String, Object> encoderOptions) {

    private static final List<Double> IMAGENET_MEAN = List.of(0.485, 0.456, 0.406);
    private static final List<Double> IMAGENET_STD = List.of(0.229, 0.224, 0.225);

    public ModelConfig {
        encoderWeights = encoderWeights == null ? "" : encoderWeights;
        pixelMean = pixelMean == null ? IMAGENET_MEAN : List.copyOf(pixelMean);
        pixelStd = pixelStd == null ? IMAGENET_STD : List.copyOf(pixelStd);
        encoderOptions = encoderOptions == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(encoderOptions));
    }

    /** A model without starting weights, normalising pixels with ImageNet's statistics. */
    public ModelConfig(String encoder, int imageSize, DecoderConfig decoder) {
        this(encoder, imageSize, decoder, null, null, null, null);
    }
}
