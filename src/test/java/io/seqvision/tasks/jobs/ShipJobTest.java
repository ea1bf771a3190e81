package io.seqvision.tasks.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqvision.tasks.api.SeqVisionModel;
import io.seqvision.tasks.eval.FiguresTable;
import io.seqvision.tasks.jobs.TrainingJob.StartMode;
import io.seqvision.tasks.model.ModelBundle;
import io.seqvision.tasks.model.ShippedModel;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShipJobTest {

    @Test
    void shipsATrainedModelWithItsHeldOutFiguresReplacingTheOldOneWhole(@TempDir Path dir) throws Exception {
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream());
        TrainingJob.Report report = TrainingJob.trainAndEvaluate(TrainingJobTest.config(dir), StartMode.NEW,
                Long.MAX_VALUE, quiet);
        Path target = dir.resolve("models").resolve(ShippedModel.NAME);
        Files.createDirectories(target);
        Files.writeString(target.resolve("left-over.txt"), "from the model shipped before");

        FiguresTable shipped = ShipJob.ship(report.run().model(), target, quiet);

        assertFalse(Files.exists(target.resolve("left-over.txt")), "the old model folder is replaced, not merged");
        for (String file : new String[] {ModelBundle.META_FILE, ModelBundle.CONFIG_FILE, ModelBundle.PARAMS_FILE,
                ShippedModel.FIGURES_JSON, ShippedModel.FIGURES_MARKDOWN, ShippedModel.METRICS_FILE}) {
            assertTrue(Files.isRegularFile(target.resolve(file)), file);
        }
        assertEquals(shipped, FiguresTable.read(target.resolve(ShippedModel.FIGURES_JSON)));
        assertEquals(4, shipped.step());
        assertEquals(4, shipped.images());
        // the figures are those of the held-out evaluation the training job printed
        assertEquals(report.evaluation().figure("detection.ap50"), shipped.figures().get("detection.ap50"), 1e-12);
        assertEquals(report.evaluation().figure("captioning.bleu4"), shipped.figures().get("captioning.bleu4"), 1e-12);
        assertTrue(Files.readString(target.resolve(ShippedModel.FIGURES_MARKDOWN)).contains("detection"));
        assertEquals(Files.readString(report.run().metrics()),
                Files.readString(target.resolve(ShippedModel.METRICS_FILE)));
        // no temporary folder is left beside the target
        try (var siblings = Files.list(target.getParent())) {
            assertEquals(1, siblings.count());
        }
        // the folder found through the models property is the one shipped, and it loads
        String before = System.getProperty(ShippedModel.MODELS_PROPERTY);
        System.setProperty(ShippedModel.MODELS_PROPERTY, target.getParent().toString());
        try (SeqVisionModel model = SeqVisionModel.load()) {
            assertEquals(target.toAbsolutePath().normalize(), model.directory().toAbsolutePath().normalize());
        } finally {
            if (before == null) {
                System.clearProperty(ShippedModel.MODELS_PROPERTY);
            } else {
                System.setProperty(ShippedModel.MODELS_PROPERTY, before);
            }
        }
        IllegalArgumentException onto = assertThrows(IllegalArgumentException.class,
                () -> ShipJob.ship(target, target, quiet));
        assertTrue(onto.getMessage().contains("already at"), onto.getMessage());
    }
}
