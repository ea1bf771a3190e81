package io.seqvision.encoder.internimage;

import io.seqvision.encoder.checkpoint.CheckpointImporter;
import io.seqvision.encoder.checkpoint.HeadPolicy;
import io.seqvision.encoder.checkpoint.RenameTable;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Loads weights exported from the official OpenGVLab/InternImage classification models ({@code
 * model.state_dict()} converted to safetensors). Names are the official ones ({@code
 * patch_embed.conv1.weight}, {@code levels.1.blocks.3.dcn.dw_conv.1.1.weight}, {@code
 * levels.0.downsample.conv.weight}, {@code conv_head.1.0.running_mean}, {@code head.bias}, ...; see
 * {@link InternImage#officialParameters}).
 */
public final class InternImageWeights {

    /** Official OpenGVLab/InternImage names are the model's. */
    public static final RenameTable NAMES =
            RenameTable.builder().head("conv_head.").head("head.").build();

    private InternImageWeights() {}

    /**
     * Sets the parameters of the initialised {@code model} from {@code file}.
     *
     * @return tensors in the file that the model does not use (such as the classifier)
     * @throws IOException if the file cannot be read
     * @throws io.seqvision.encoder.checkpoint.CheckpointException naming the file and tensor if one is missing or has another
     *     shape; nothing is changed then
     */
    public static List<String> load(Path file, InternImage model) throws IOException {
        return CheckpointImporter.load(file, model, HeadPolicy.forClasses(model.getNumClasses())).notLoaded();
    }
}
