package io.seqvision.encoder.convnext;

import io.seqvision.encoder.common.OfficialWeights;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Loads weights exported from the official facebookresearch/ConvNeXt implementation (its state
 * dict saved as safetensors, e.g. {@code safetensors.torch.save_file(model.state_dict(), path)}).
 * Names are the official ones; see {@link ConvNeXt#officialParameters}.
 */
public final class ConvNeXtWeights {

    private ConvNeXtWeights() {}

    /**
     * Sets every official parameter of the initialised {@code model} from {@code file}.
     *
     * @return tensors in the file that the model does not use (the classifier of an ImageNet
     *     checkpoint loaded into a headless encoder)
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException naming the tensor if one is missing or has another shape
     */
    public static List<String> load(Path file, ConvNeXt model) throws IOException {
        return OfficialWeights.load(file, model.officialParameters());
    }
}
