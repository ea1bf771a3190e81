package io.seqvision.encoder.replknet;

import io.seqvision.encoder.checkpoint.CheckpointImporter;
import io.seqvision.encoder.checkpoint.HeadPolicy;
import io.seqvision.encoder.checkpoint.RenameTable;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Loads weights exported from the official RepLKNet-pytorch ({@code torch.save} state dict
 * converted to safetensors, e.g. with {@code safetensors.torch.save_file(model.state_dict(),
 * path)}). Names are the official ones ({@code stem.0.conv.weight}, {@code
 * stages.0.blocks.0.large_kernel.lkb_origin.bn.running_mean}, ...; see {@link
 * RepLKNet#officialParameters}). A checkpoint of the merged form loads into a model built with
 * {@code optMerged(true)}.
 */
public final class RepLKNetWeights {

    /** Official DingXiaoH/RepLKNet-pytorch names are the model's. */
    public static final RenameTable NAMES =
            RenameTable.builder().head("norm.").head("head.").build();

    private RepLKNetWeights() {}

    /**
     * Sets every parameter of the initialised {@code model} from {@code file}.
     *
     * @return tensors in the file that the model does not use (such as the classifier of an
     *     ImageNet checkpoint loaded into a headless encoder)
     * @throws IOException if the file cannot be read
     * @throws io.seqvision.encoder.checkpoint.CheckpointException naming the file and tensor if one is missing or has another shape
     */
    public static List<String> load(Path file, RepLKNet model) throws IOException {
        return CheckpointImporter.load(file, model, HeadPolicy.forClasses(model.getNumClasses())).notLoaded();
    }
}
