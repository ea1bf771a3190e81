package io.seqvision.encoder.convnext;

import io.seqvision.encoder.checkpoint.CheckpointImporter;
import io.seqvision.encoder.checkpoint.HeadPolicy;
import io.seqvision.encoder.checkpoint.RenameTable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Loads weights exported from the official facebookresearch/ConvNeXt implementation (its state
 * dict saved as safetensors, e.g. {@code safetensors.torch.save_file(model.state_dict(), path)}).
 * Names are the official ones; see {@link ConvNeXt#officialParameters}.
 */
public final class ConvNeXtWeights {

    /**
     * Official facebookresearch/ConvNeXt names are the model's; timm's ({@code convnext_tiny.fb_in1k}
     * and friends, as in timm's {@code checkpoint_filter_fn} the other way round) are renamed.
     */
    public static final RenameTable NAMES =
            RenameTable.builder()
                    .rename("^stem\\.([01])\\.", "downsample_layers.0.$1.")
                    .rename("^stages\\.(\\d+)\\.downsample\\.([01])\\.", "downsample_layers.$1.$2.")
                    .rename("^stages\\.(\\d+)\\.blocks\\.(\\d+)\\.conv_dw\\.", "stages.$1.$2.dwconv.")
                    .rename("^stages\\.(\\d+)\\.blocks\\.(\\d+)\\.mlp\\.fc1\\.", "stages.$1.$2.pwconv1.")
                    .rename("^stages\\.(\\d+)\\.blocks\\.(\\d+)\\.mlp\\.fc2\\.", "stages.$1.$2.pwconv2.")
                    .rename("^stages\\.(\\d+)\\.blocks\\.(\\d+)\\.", "stages.$1.$2.")
                    .rename("^head\\.norm\\.", "norm.")
                    .rename("^head\\.fc\\.", "head.")
                    .head("norm.")
                    .head("head.")
                    .build();

    private ConvNeXtWeights() {}

    /**
     * Sets every official parameter of the initialised {@code model} from {@code file}.
     *
     * @return tensors in the file that the model does not use (the classifier of an ImageNet
     *     checkpoint loaded into a headless encoder)
     * @throws IOException if the file cannot be read
     * @throws io.seqvision.encoder.checkpoint.CheckpointException naming the file and tensor if one is missing or has another shape
     */
    public static List<String> load(Path file, ConvNeXt model) throws IOException {
        return CheckpointImporter.load(file, model, HeadPolicy.forClasses(model.getNumClasses())).notLoaded();
    }
}
