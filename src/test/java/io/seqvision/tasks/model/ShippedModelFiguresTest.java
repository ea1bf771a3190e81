package io.seqvision.tasks.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqvision.tasks.TaskKind;
import io.seqvision.tasks.api.SeqVisionModel;
import io.seqvision.tasks.eval.EvaluationResult;
import io.seqvision.tasks.eval.FiguresTable;
import io.seqvision.tasks.jobs.ShipJob;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.TreeMap;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model in the box stays true: loaded with the current code, it scores on its held-out split
 * exactly the figures shipped beside it. A change to the saved format, the decoding or the metrics
 * that moves them fails here, and the model is shipped again (bin/seqvision ship) in the same change.
 */
class ShippedModelFiguresTest {

    @TempDir
    Path scratch;

    @Test
    void theShippedModelScoresExactlyTheFiguresShippedWithIt() {
        Path model = ShippedModel.directory();
        FiguresTable shipped = FiguresTable.read(model.resolve(ShippedModel.FIGURES_JSON));
        assertEquals(ModelBundle.read(model).step(), shipped.step(), "the table belongs to this model");
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        EvaluationResult result = ShipJob.evaluateHeldOut(model, scratch, new PrintStream(log, true, StandardCharsets.UTF_8));
        assertEquals(shipped.images(), result.predictions().size());
        assertEquals(shipped.figures(), new TreeMap<>(result.figures()), log.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theLibraryLoadsItWithoutArgumentsAndItDoesEveryTask() throws Exception {
        try (SeqVisionModel model = SeqVisionModel.load()) {
            assertEquals(EnumSet.allOf(TaskKind.class), model.tasks());
            Path data = ShipJob.generateHeldOut(ModelBundle.read(model.directory()).config(), scratch);
            var image = ImageIO.read(data.resolve("images/val/000001.png").toFile());
            String caption = model.caption(image);
            assertFalse(caption == null || caption.isBlank(), "a caption");
            assertTrue(!model.detect(image).detections().isEmpty(), "something detected in a shapes scene");
        }
    }
}
