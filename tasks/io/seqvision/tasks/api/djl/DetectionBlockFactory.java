package io.seqvision.tasks.api.djl;

import ai.djl.Model;
import ai.djl.nn.Block;
import ai.djl.nn.BlockFactory;
import io.seqvision.decoder.EncoderDecoderModel;
import io.seqvision.encoder.EncoderRegistry;
import io.seqvision.tasks.DecodingOptions;
import io.seqvision.tasks.config.SamplingConfig;
import io.seqvision.tasks.model.ModelBundle;
import java.nio.file.Path;
import java.util.Map;

/**
 * Lets DJL's model loading ({@code Criteria}) build a {@link DetectionBlock} from a seqvision model
 * directory: reads {@code config.yaml} and {@code bundle.json}, builds the network, loads {@code
 * model.params} into the DJL {@link Model}'s manager (so closing the model frees them) and freezes
 * the parameters.
 *
 * <p>Because this factory loads the parameters itself, the criteria must tell DJL not to look for
 * a {@code <name>-NNNN.params} file: option {@code hasParameter=false}. {@link
 * SeqVisionCriteria#detection} sets both.
 *
 * <p>Decoding follows the config's {@code eval:} block; criteria arguments override it: {@code
 * sampler}, {@code temperature}, {@code top_k}, {@code top_p}, {@code seed}, {@code
 * max_new_tokens}, {@code key_value_cache} (numbers, booleans or their text, as in a {@code
 * serving.properties} file).
 */
public final class DetectionBlockFactory implements BlockFactory {

    private static final long serialVersionUID = 1L;

    @Override
    public Block newBlock(Model model, Path modelPath, Map<String, ?> arguments) {
        ModelBundle bundle = ModelBundle.read(modelPath);
        EncoderDecoderModel network = bundle.instantiate(modelPath, EncoderRegistry.defaults(), model.getNDManager());
        network.freezeParameters(true);
        return new DetectionBlock(network, bundle, decoding(bundle, arguments));
    }

    static DecodingOptions decoding(ModelBundle bundle, Map<String, ?> arguments) {
        SamplingConfig eval = bundle.config().tasks().detection().sampling();
        try {
            return new DecodingOptions(
                    text(arguments, "sampler", eval.sampler()),
                    Double.parseDouble(text(arguments, "temperature", eval.temperature())),
                    Integer.parseInt(text(arguments, "top_k", eval.topK())),
                    Double.parseDouble(text(arguments, "top_p", eval.topP())),
                    Long.parseLong(text(arguments, "seed", bundle.config().seed())),
                    Integer.parseInt(text(arguments, "max_new_tokens", 0)),
                    flag(text(arguments, "key_value_cache", true)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad decoding argument for a seqvision model: " + e.getMessage(), e);
        }
    }

    private static boolean flag(String value) {
        if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(value);
        }
        throw new IllegalArgumentException("argument key_value_cache must be true or false, got '" + value + "'");
    }

    private static String text(Map<String, ?> arguments, String key, Object fallback) {
        Object value = arguments == null ? null : arguments.get(key);
        return String.valueOf(value == null ? fallback : value).trim();
    }
}
