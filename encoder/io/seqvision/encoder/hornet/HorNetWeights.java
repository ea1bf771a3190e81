package io.seqvision.encoder.hornet;

import io.seqvision.encoder.checkpoint.CheckpointImporter;
import io.seqvision.encoder.checkpoint.HeadPolicy;
import io.seqvision.encoder.checkpoint.RenameTable;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Loads weights exported from the official raoyongming/HorNet ({@code model.state_dict()} converted
 * to safetensors, e.g. with {@code safetensors.torch.save_file}). Names are the official ones
 * ({@code downsample_layers.0.0.weight}, {@code stages.2.3.gnconv.pws.1.bias}, {@code
 * stages.3.0.gnconv.dwconv.complex_weight}, {@code stages.0.0.gamma2}, ...; see {@link
 * HorNet#officialParameters}). The encoder's {@code outputNorm} is not in the official checkpoint
 * and keeps its values.
 */
public final class HorNetWeights {

    /** Official raoyongming/HorNet names are the model's. */
    public static final RenameTable NAMES =
            RenameTable.builder().head("norm.").head("head.").build();

    private HorNetWeights() {}

    /**
     * Sets the parameters of the initialised {@code model} from {@code file}.
     *
     * @return tensors in the file that the model does not use (such as the classifier)
     * @throws IOException if the file cannot be read
     * @throws io.seqvision.encoder.checkpoint.CheckpointException naming the file and tensor if one is missing or has another
     *     shape; nothing is changed then
     */
    public static List<String> load(Path file, HorNet model) throws IOException {
        return CheckpointImporter.load(file, model, HeadPolicy.forClasses(model.getNumClasses())).notLoaded();
    }
}
