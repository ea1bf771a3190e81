package io.seqvision.tasks.jobs;

import io.seqvision.tasks.config.ConfigException;
import io.seqvision.tasks.config.ConfigLoader;
import io.seqvision.tasks.config.SeqVisionConfig;
import java.nio.file.Path;
import java.util.List;

/**
 * A YAML file laid over a trained model's config for one evaluation: where and how the model is
 * evaluated (another split, decoding, pose test views), never what was trained. A key outside
 * {@link #CHANGEABLE} is an error naming it and the file.
 */
public final class EvalOverlay {

    /** What an evaluation may change: exact keys, or every key below one ending in a dot. */
    public static final List<String> CHANGEABLE = List.of("data.val.", "eval.", "tasks.detection.sampling.",
            "tasks.segmentation.sampling.", "tasks.keypoints.sampling.", "tasks.captioning.sampling.",
            "tasks.keypoints.test_windows", "tasks.keypoints.flip_test");

    private EvalOverlay() {}

    /** {@code base} with the file's values laid over it. */
    public static SeqVisionConfig apply(SeqVisionConfig base, Path file) {
        String text = ConfigLoader.readText(file, "evaluation overlay");
        String source = file.toString();
        for (String key : ConfigLoader.keysSetBy(text, source)) {
            if (CHANGEABLE.stream().noneMatch(allowed -> allowed.endsWith(".") ? key.startsWith(allowed)
                    : key.equals(allowed))) {
                throw new ConfigException(source + ": key '" + key + "' is fixed by the trained model; an evaluation"
                        + " may change " + String.join(", ", CHANGEABLE.stream()
                                .map(k -> k.endsWith(".") ? k + "*" : k).toList()));
            }
        }
        return ConfigLoader.overlay(source, ConfigLoader.toYaml(base), text);
    }
}
