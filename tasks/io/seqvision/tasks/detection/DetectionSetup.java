package io.seqvision.tasks.detection;

import io.seqvision.tasks.config.SeqVisionConfig;
import io.seqvision.tokenizers.BoxTokenizer;
import io.seqvision.tokenizers.Vocabulary;
import java.util.List;
import java.util.Locale;

/** The vocabulary and detection task that a config and a dataset's classes imply, derived in one place. */
public record DetectionSetup(Vocabulary vocabulary, DetectionTask task) {

    public static DetectionSetup of(SeqVisionConfig config, List<String> classNames) {
        Vocabulary vocabulary = new Vocabulary(classNames.size(), config.tokenizer().coordBins(), 0);
        BoxTokenizer tokenizer = new BoxTokenizer(vocabulary, config.tokenizer().maxObjects());
        DetectionTask.ObjectOrder order =
                DetectionTask.ObjectOrder.valueOf(config.training().objectOrder().toUpperCase(Locale.ROOT));
        return new DetectionSetup(vocabulary, new DetectionTask(tokenizer, order));
    }

    /** Longest token sequence the decoder must hold. */
    public int maxLength() {
        return task.maxSequenceLength();
    }
}
