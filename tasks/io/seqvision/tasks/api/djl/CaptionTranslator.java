package io.seqvision.tasks.api.djl;

import io.seqvision.tasks.TaskKind;
import java.util.List;

/** DJL {@code Translator} from an image to its caption. */
public final class CaptionTranslator extends SeqVisionTranslator<String> {

    public CaptionTranslator() {
        super(TaskKind.CAPTIONING);
    }

    @Override
    String read(SeqVisionBlock block, List<double[]> objects, List<double[]> vertices, List<double[]> keypoints,
            String caption) {
        return caption;
    }
}
