package io.seqvision.tasks.api.djl;

import ai.djl.Model;
import ai.djl.nn.Block;
import ai.djl.nn.BlockFactory;
import io.seqvision.decoder.EncoderDecoderModel;
import io.seqvision.encoder.EncoderRegistry;
import io.seqvision.tasks.DecodingOptions;
import io.seqvision.tasks.TaskKind;
import io.seqvision.tasks.config.SamplingConfig;
import io.seqvision.tasks.model.ModelBundle;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;

/**
 * Lets DJL's model loading ({@code Criteria}) build a {@link SeqVisionBlock} from a seqvision model
 * directory: reads {@code config.yaml} and {@code bundle.json}, builds the network, loads {@code
 * model.params} into the DJL {@link Model}'s manager (so closing the model frees them) and freezes
 * the parameters.
 *
 * <p>Because this factory loads the parameters itself, the criteria must tell DJL not to look for
 * a {@code <name>-NNNN.params} file: option {@code hasParameter=false}. {@link SeqVisionCriteria}
 * sets both.
 *
 * <p>Criteria arguments: {@code task} ({@code detection} unless given: {@code segmentation},
 * {@code keypoints}, {@code captioning}); decoding follows each task's {@code sampling} block of
 * the config, and these override it for every task the block runs: {@code sampler}, {@code
 * temperature}, {@code top_k}, {@code top_p}, {@code seed}, {@code max_new_tokens}, {@code
 * key_value_cache} (numbers, booleans or their text, as in a {@code serving.properties} file).
 */
public final class SeqVisionBlockFactory implements BlockFactory {

    private static final long serialVersionUID = 1L;

    @Override
    public Block newBlock(Model model, Path modelPath, Map<String, ?> arguments) {
        ModelBundle bundle = ModelBundle.read(modelPath);
        TaskKind task = TaskKind.of(text(arguments, "task", TaskKind.DETECTION.id()));
        Map<TaskKind, DecodingOptions> decoding = new EnumMap<>(TaskKind.class);
        for (TaskKind kind : TaskKind.values()) {
            decoding.put(kind, decoding(bundle, kind, arguments));
        }
        EncoderDecoderModel network = bundle.instantiate(modelPath, EncoderRegistry.defaults(), model.getNDManager());
        network.freezeParameters(true);
        return new SeqVisionBlock(network, bundle, task, decoding);
    }

    static DecodingOptions decoding(ModelBundle bundle, TaskKind task, Map<String, ?> arguments) {
        SamplingConfig config = bundle.config().tasks().of(task).sampling();
        try {
            return new DecodingOptions(
                    text(arguments, "sampler", config.sampler()),
                    Double.parseDouble(text(arguments, "temperature", config.temperature())),
                    Integer.parseInt(text(arguments, "top_k", config.topK())),
                    Double.parseDouble(text(arguments, "top_p", config.topP())),
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
