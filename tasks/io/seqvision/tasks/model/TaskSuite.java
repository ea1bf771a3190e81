package io.seqvision.tasks.model;

import io.seqvision.decoder.generate.LogitsProcessor;
import io.seqvision.tasks.DecodingOptions;
import io.seqvision.tasks.Task;
import io.seqvision.tasks.TaskKind;
import io.seqvision.tasks.captioning.CaptionTask;
import io.seqvision.tasks.config.ConfigException;
import io.seqvision.tasks.config.SeqVisionConfig;
import io.seqvision.tasks.config.TasksConfig;
import io.seqvision.tasks.detection.DetectionTask;
import io.seqvision.tasks.keypoints.KeypointTask;
import io.seqvision.tasks.segmentation.SegmentationTask;
import io.seqvision.tokenizers.BoxTokenizer;
import io.seqvision.tokenizers.CaptionTokenizer;
import io.seqvision.tokenizers.KeypointTokenizer;
import io.seqvision.tokenizers.MaskTokenizer;
import io.seqvision.tokenizers.Vocabulary;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The vocabulary and the tasks that a config and a dataset's classes imply, derived in one place
 * so that training, evaluation and a reloaded model agree on every token; the task registry:
 * {@link #task(TaskKind)} hands out each task, with its prompt, grammar, budget, decoding
 * defaults and repetition control, so that no caller branches on the kind. Holds the caption
 * tokenizer's native handle when captioning is trained: close it.
 */
public final class TaskSuite implements AutoCloseable {

    private final Vocabulary vocabulary;
    private final Set<TaskKind> trained;
    private final DetectionTask detection;
    private final SegmentationTask segmentation;
    private final KeypointTask keypoints;
    private final CaptionTask captioning;
    private final Map<TaskKind, Task<?, ?>> tasks = new EnumMap<>(TaskKind.class);

    private TaskSuite(Vocabulary vocabulary, Set<TaskKind> trained, DetectionTask detection,
            SegmentationTask segmentation, KeypointTask keypoints, CaptionTask captioning) {
        this.vocabulary = vocabulary;
        this.trained = Collections.unmodifiableSet(trained);
        this.detection = detection;
        this.segmentation = segmentation;
        this.keypoints = keypoints;
        this.captioning = captioning;
        for (Task<?, ?> task : new Task<?, ?>[] {detection, segmentation, keypoints, captioning}) {
            if (task != null && tasks.put(task.kind(), task) != null) {
                throw new IllegalStateException("two tasks of kind " + task.kind().id());
            }
        }
    }

    /**
     * @throws ConfigException when the caption tokenizer the config names cannot be loaded
     */
    public static TaskSuite of(SeqVisionConfig config, List<String> classNames) {
        TasksConfig tasks = config.tasks();
        Set<TaskKind> trained = EnumSet.noneOf(TaskKind.class);
        if (tasks.detection().enabled()) {
            trained.add(TaskKind.DETECTION);
        }
        if (tasks.segmentation().task().enabled()) {
            trained.add(TaskKind.SEGMENTATION);
        }
        if (tasks.keypoints().task().enabled()) {
            trained.add(TaskKind.KEYPOINTS);
        }
        boolean captions = tasks.captioning().task().enabled();
        Path tokenizerFile = captions ? Path.of(tasks.captioning().tokenizer()) : null;
        int textTokens = 0;
        if (captions) {
            trained.add(TaskKind.CAPTIONING);
            try {
                textTokens = CaptionTokenizer.textVocabularySize(tokenizerFile);
            } catch (IOException e) {
                throw new ConfigException("tasks.captioning.tokenizer: " + e.getMessage(), e);
            }
        }
        Vocabulary vocabulary = new Vocabulary(classNames.size(), config.tokenizer().coordBins(), textTokens);
        DetectionTask.ObjectOrder order =
                DetectionTask.ObjectOrder.valueOf(config.training().objectOrder().toUpperCase(Locale.ROOT));
        DetectionTask detection = new DetectionTask(new BoxTokenizer(vocabulary, config.tokenizer().maxObjects()),
                order, decoding(config, TaskKind.DETECTION), repetition(config, TaskKind.DETECTION));
        SegmentationTask segmentation = new SegmentationTask(
                new MaskTokenizer(vocabulary, tasks.segmentation().maxPoints()), decoding(config, TaskKind.SEGMENTATION),
                repetition(config, TaskKind.SEGMENTATION));
        KeypointTask keypoints = new KeypointTask(new KeypointTokenizer(vocabulary),
                decoding(config, TaskKind.KEYPOINTS), repetition(config, TaskKind.KEYPOINTS));
        CaptionTask captioning = null;
        if (captions) {
            try {
                captioning = new CaptionTask(
                        CaptionTokenizer.load(tokenizerFile, vocabulary, tasks.captioning().maxTokens()),
                        decoding(config, TaskKind.CAPTIONING), repetition(config, TaskKind.CAPTIONING));
            } catch (IOException | RuntimeException e) {
                throw new ConfigException("tasks.captioning.tokenizer: " + e.getMessage(), e);
            }
        }
        return new TaskSuite(vocabulary, trained, detection, segmentation, keypoints, captioning);
    }

    private static DecodingOptions decoding(SeqVisionConfig config, TaskKind kind) {
        return DecodingOptions.fromConfig(config.tasks().of(kind).sampling(), config.seed());
    }

    private static LogitsProcessor repetition(SeqVisionConfig config, TaskKind kind) {
        return config.tasks().of(kind).sampling().logitsProcessor();
    }

    /**
     * The task of a kind.
     *
     * @throws IllegalArgumentException when the model has no such task (captioning without a
     *     tokenizer), naming the tasks it has
     */
    public Task<?, ?> task(TaskKind kind) {
        Task<?, ?> task = tasks.get(kind);
        if (task == null) {
            throw new IllegalArgumentException("this model has no " + kind.id() + " task; it has "
                    + tasks.keySet().stream().map(TaskKind::id).toList());
        }
        return task;
    }

    /**
     * @throws IllegalArgumentException when the model is not trained for {@code kind}, naming the
     *     tasks it is trained for
     */
    public void requireTrained(TaskKind kind) {
        if (!trains(kind)) {
            throw new IllegalArgumentException("this model is not trained for " + kind.id() + "; it does "
                    + trained.stream().map(TaskKind::id).toList());
        }
    }

    public Vocabulary vocabulary() {
        return vocabulary;
    }

    /** The tasks the model is trained for (weight above 0). */
    public Set<TaskKind> trained() {
        return trained;
    }

    public boolean trains(TaskKind kind) {
        return trained.contains(kind);
    }

    public DetectionTask detection() {
        return detection;
    }

    public SegmentationTask segmentation() {
        return segmentation;
    }

    public KeypointTask keypoints() {
        return keypoints;
    }

    /** @throws IllegalStateException when captioning is not trained (there is no tokenizer) */
    public CaptionTask captioning() {
        if (captioning == null) {
            throw new IllegalStateException("this model is not trained for captioning");
        }
        return captioning;
    }

    /** Longest token sequence the decoder must hold: the longest of the trained tasks'. */
    public int maxLength() {
        int longest = 0;
        for (TaskKind kind : trained) {
            longest = Math.max(longest, task(kind).maxSequenceLength());
        }
        return longest;
    }

    @Override
    public void close() {
        if (captioning != null) {
            captioning.tokenizer().close();
        }
    }
}
