package io.seqvision.tasks.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqvision.decoder.generate.GenerationOptions;
import io.seqvision.decoder.generate.LogitsProcessor;
import io.seqvision.decoder.generate.NoRepeatNGram;
import io.seqvision.decoder.generate.TopKSampler;
import io.seqvision.tasks.DecodingOptions;
import io.seqvision.tasks.Task;
import io.seqvision.tasks.TaskKind;
import io.seqvision.tasks.config.ConfigLoader;
import io.seqvision.tasks.config.SeqVisionConfig;
import io.seqvision.tasks.data.AnnotatedObject;
import io.seqvision.tasks.data.MultiTaskExample;
import io.seqvision.tokenizers.TokenBox;
import io.seqvision.tokenizers.TokenSequence;
import io.seqvision.tokenizers.Vocabulary;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class TaskSuiteTest {

    private static final SeqVisionConfig CONFIG = ConfigLoader.parse("""
            seed: 5
            tasks:
              detection: {sampling: {sampler: top_k, top_k: 7, temperature: 0.5}}
              segmentation: {weight: 0.5, max_points: 16}
              keypoints: {weight: 0.5}
            """, "test");

    @Test
    void registryHandsOutEachTaskByKindWithItsConfigDecoding() {
        try (TaskSuite suite = TaskSuite.of(CONFIG, List.of("a", "person"))) {
            for (TaskKind kind : List.of(TaskKind.DETECTION, TaskKind.SEGMENTATION, TaskKind.KEYPOINTS)) {
                assertEquals(kind, suite.task(kind).kind());
                assertEquals(kind.id(), suite.task(kind).name());
            }
            assertSame(suite.detection(), suite.task(TaskKind.DETECTION));
            assertEquals(new DecodingOptions("top_k", 0.5, 7, 0.4, 5, 0, true), suite.task(TaskKind.DETECTION).decoding());
            assertEquals("greedy", suite.task(TaskKind.SEGMENTATION).decoding().sampler());
            String message = assertThrows(IllegalArgumentException.class, () -> suite.task(TaskKind.CAPTIONING))
                    .getMessage();
            assertTrue(message.contains("captioning") && message.contains("detection"), message);
            assertThrows(IllegalArgumentException.class, () -> suite.requireTrained(TaskKind.CAPTIONING));
            int longest = Math.max(suite.detection().maxSequenceLength(),
                    Math.max(suite.segmentation().maxSequenceLength(), suite.keypoints().maxSequenceLength()));
            assertEquals(longest, suite.maxLength());
        }
    }

    @Test
    void generationOptionsJoinTheTaskGrammarAndBudgetWithTheDecoding() {
        try (TaskSuite suite = TaskSuite.of(CONFIG, List.of("a", "person"))) {
            Task<?, ?> detection = suite.task(TaskKind.DETECTION);
            AtomicInteger checks = new AtomicInteger();
            GenerationOptions options = detection.generationOptions(detection.decoding(), checks::incrementAndGet);
            assertEquals(detection.responseBudget(), options.maxNewTokens());
            assertEquals(Vocabulary.EOS, options.endToken());
            assertTrue(options.sampler() instanceof TopKSampler);
            boolean[] viaOptions = new boolean[suite.vocabulary().size()];
            boolean[] direct = new boolean[suite.vocabulary().size()];
            options.constraint().allowedNext(new int[0], viaOptions);
            detection.allowedNext(new int[0], direct);
            assertEquals(java.util.Arrays.toString(direct), java.util.Arrays.toString(viaOptions));
            assertEquals(1, checks.get(), "the per-step hook runs before the grammar");
            assertEquals(9, detection.generationOptions(DecodingOptions.greedy().withMaxNewTokens(9), () -> { })
                    .maxNewTokens());
        }
    }

    @Test
    void repetitionControlBelongsToTheTaskWhateverTheDecoding() {
        SeqVisionConfig config = ConfigLoader.parse("""
                tasks:
                  segmentation: {weight: 0.5, sampling: {no_repeat_ngram_size: 3}}
                """, "test");
        try (TaskSuite suite = TaskSuite.of(config, List.of("a"))) {
            assertSame(LogitsProcessor.NONE, suite.task(TaskKind.DETECTION).logitsProcessor());
            Task<?, ?> segmentation = suite.task(TaskKind.SEGMENTATION);
            assertEquals(3, ((NoRepeatNGram) segmentation.logitsProcessor()).size());
            GenerationOptions options = segmentation.generationOptions(DecodingOptions.topK(5, 1, 2), () -> { });
            assertSame(segmentation.logitsProcessor(), options.logitsProcessor(), "applied whichever sampler");
            assertSame(LogitsProcessor.NONE,
                    segmentation.generationOptions(DecodingOptions.greedy(), LogitsProcessor.NONE, () -> { })
                            .logitsProcessor());
        }
    }

    @Test
    void tasksSayWhatOfAnExampleTheyTrainOn() {
        AnnotatedObject plain = new AnnotatedObject(new TokenBox(0.1, 0.1, 0.5, 0.5, 0, 1), List.of(), List.of(), 10);
        MultiTaskExample example = new MultiTaskExample(1, 8, 8, new byte[3 * 8 * 8], List.of(plain), List.of());
        try (TaskSuite suite = TaskSuite.of(CONFIG, List.of("a", "person"))) {
            assertTrue(suite.task(TaskKind.DETECTION).covers(example));
            assertFalse(suite.task(TaskKind.SEGMENTATION).covers(example), "no object has a mask");
            assertFalse(suite.task(TaskKind.KEYPOINTS).covers(example), "no object has keypoints");
            assertTrue(suite.task(TaskKind.SEGMENTATION).promptedByObject());
            assertFalse(suite.task(TaskKind.DETECTION).promptedByObject());
            assertNull(suite.task(TaskKind.SEGMENTATION).exampleSequence(example, new Random(1), 0));
            TokenSequence boxes = suite.task(TaskKind.DETECTION).exampleSequence(example, new Random(1), 0);
            assertEquals(Vocabulary.PROMPT_DETECTION, boxes.tokens()[0]);
            assertEquals(suite.detection().trainingSequence(example.boxes(), new Random(1)).length(), boxes.length());
        }
    }
}
