package io.seqvision.encoder.slak;

import io.seqvision.encoder.common.OfficialWeights;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Loads weights exported from the official VITA-Group/SLaK ({@code model.state_dict()} converted
 * to safetensors). Names are the official ones ({@code downsample_layers.0.0.weight}, {@code
 * stages.1.2.large_kernel.Decom2.bn.running_var}, {@code stages.0.0.gamma}, ...; see {@link
 * SLaK#officialParameters}). Sparse checkpoints load as they are: their pruned entries are zeros.
 * The encoder's {@code outputNorm} is not in the official checkpoint and keeps its values.
 */
public final class SLaKWeights {

    private SLaKWeights() {}

    /**
     * Sets the parameters of the initialised {@code model} from {@code file}.
     *
     * @return tensors in the file that the model does not use (such as the classifier)
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException naming the tensor if one is missing or has another shape
     */
    public static List<String> load(Path file, SLaK model) throws IOException {
        return OfficialWeights.load(file, model.officialParameters());
    }
}
