package io.seqvision.encoder.slak;

import io.seqvision.encoder.checkpoint.CheckpointImporter;
import io.seqvision.encoder.checkpoint.HeadPolicy;
import io.seqvision.encoder.checkpoint.RenameTable;

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

    /**
     * The model uses the names of the first SLaK release ({@code large_kernel.Decom1/Decom2}); the
     * official code renamed those branches {@code LoRA1/LoRA2} in July 2022, and checkpoints of both
     * eras exist.
     */
    public static final RenameTable NAMES =
            RenameTable.builder()
                    .rename("\\.large_kernel\\.LoRA([12])\\.", ".large_kernel.Decom$1.")
                    .head("norm.")
                    .head("head.")
                    .build();

    private SLaKWeights() {}

    /**
     * Sets the parameters of the initialised {@code model} from {@code file}.
     *
     * @return tensors in the file that the model does not use (such as the classifier)
     * @throws IOException if the file cannot be read
     * @throws io.seqvision.encoder.checkpoint.CheckpointException naming the file and tensor if one is missing or has another shape
     */
    public static List<String> load(Path file, SLaK model) throws IOException {
        return CheckpointImporter.load(file, model, HeadPolicy.forClasses(model.getNumClasses())).notLoaded();
    }
}
