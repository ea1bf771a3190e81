package io.seqvision.encoder.checkpoint;

import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The tensors of a checkpoint under the names the file gives them.
 *
 * @param file the file read
 * @param wrapperKey the key of the wrapping dictionary the state dict was found under ({@code
 *     model}, {@code state_dict}, {@code model_ema}), or null when the file holds the state dict
 *     itself
 * @param tensors name to tensor, sorted by name
 */
public record StateDict(Path file, String wrapperKey, Map<String, CheckpointTensor> tensors) {

    public StateDict {
        tensors = Collections.unmodifiableMap(new TreeMap<>(tensors));
    }
}
