package io.seqvision.tasks.training;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.seqvision.encoder.EncoderRegistry;
import io.seqvision.tasks.config.SeqVisionConfig;
import io.seqvision.tasks.data.MultiTaskDataset;
import io.seqvision.tasks.model.ModelBundle;
import io.seqvision.testing.FreedMemoryChurn;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Training must not read native memory that the garbage collector has freed: with a thread that
 * keeps collecting garbage and refilling freed blocks with NaN, every step's loss and the trained
 * parameters are bit for bit those of a quiet run. (Before {@link io.seqvision.encoder.engine.Scalars},
 * the churn made the losses differ within a few steps and turn NaN soon after.)
 */
class TrainingUnderGarbageCollectionTest {

    private static final PrintStream QUIET = new PrintStream(new ByteArrayOutputStream());

    @ParameterizedTest
    @ValueSource(strings = {"convnext-test", "hornet-test", "internimage-test", "pelk-test", "slak-test",
        "replknet-test"})
    void lossesAndParametersDoNotDependOnGarbageCollection(String encoder, @TempDir Path dir) throws Exception {
        MultiTaskDataset data = TrainingFixtures.syntheticDataset(6, 11);
        String extra = "model: {encoder: " + encoder + "}\n"
                + "training: {log_every: 1, auxiliary_loss_weight: 0.5, auxiliary_keypoint_loss_weight: 0.5}";
        TrainingResult quiet = train(dir.resolve("quiet"), extra, data);
        TrainingResult churned;
        try (FreedMemoryChurn churn = FreedMemoryChurn.inBackground()) {
            churned = train(dir.resolve("churned"), extra, data);
        }
        assertEquals(quiet.losses(), churned.losses(), encoder + ": losses per step, quiet against churned");
        assertSameParameters(quiet, churned, encoder);
    }

    /** Half precision adds casts and loss scaling to the step. */
    @Test
    void float16TrainingDoesNotDependOnGarbageCollection(@TempDir Path dir) throws Exception {
        MultiTaskDataset data = TrainingFixtures.syntheticDataset(4, 13);
        String extra = "training: {log_every: 1, precision: fp16}";
        TrainingResult quiet = trainDetection(dir.resolve("quiet"), extra, data);
        TrainingResult churned;
        try (FreedMemoryChurn churn = FreedMemoryChurn.inBackground()) {
            churned = trainDetection(dir.resolve("churned"), extra, data);
        }
        assertEquals(quiet.losses(), churned.losses(), "fp16: losses per step, quiet against churned");
    }

    /** Parameters and optimizer state read back from a checkpoint are as safe as freshly made ones. */
    @ParameterizedTest
    @ValueSource(strings = {"convnext-test", "pelk-test"})
    void aResumedRunDoesNotDependOnGarbageCollection(String encoder, @TempDir Path dir) throws Exception {
        MultiTaskDataset data = TrainingFixtures.syntheticDataset(6, 12);
        String extra = "model: {encoder: " + encoder + "}\ntraining: {log_every: 1, checkpoint_every: 4}";
        TrainingResult quiet = train(dir.resolve("quiet"), extra, data);
        train(dir.resolve("churned"), extra, data, false, 4);
        TrainingResult resumed;
        try (FreedMemoryChurn churn = FreedMemoryChurn.inBackground()) {
            resumed = train(dir.resolve("churned"), extra, data, true, Long.MAX_VALUE);
        }
        assertEquals(quiet.losses().subList(4, 8), resumed.losses(), encoder + ": losses of steps 5 to 8");
        assertSameParameters(quiet, resumed, encoder);
    }

    private static void assertSameParameters(TrainingResult expected, TrainingResult actual, String encoder)
            throws Exception {
        Path params = Path.of(ModelBundle.PARAMS_FILE);
        assertEquals(-1, Files.mismatch(expected.modelDir().resolve(params), actual.modelDir().resolve(params)),
                encoder + ": the trained parameters differ");
    }

    private static TrainingResult trainDetection(Path dir, String extra, MultiTaskDataset data) {
        return new Trainer(TrainingFixtures.tinyConfig(dir, 4, 0.1, extra), EncoderRegistry.defaults(), QUIET)
                .train(data, new RunDirectory(dir.resolve("run")), false, Long.MAX_VALUE);
    }

    private static TrainingResult train(Path dir, String extra, MultiTaskDataset data) {
        return train(dir, extra, data, false, Long.MAX_VALUE);
    }

    private static TrainingResult train(Path dir, String extra, MultiTaskDataset data, boolean resume, long stopAfter) {
        SeqVisionConfig config = TrainingFixtures.multiTaskConfig(dir, 8, 0.1, extra);
        return new Trainer(config, EncoderRegistry.defaults(), QUIET)
                .train(data, new RunDirectory(dir.resolve("run")), resume, stopAfter);
    }
}
