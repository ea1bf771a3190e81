package io.seqvision.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqvision.tasks.api.ApiFixtures;
import io.seqvision.tasks.api.SeqVisionModel;
import io.seqvision.web.ApiException;
import io.seqvision.web.service.WebTask;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 16's smaller items outside the server and the trainer: task names, a null image. */
class SmallFaultsTest {

    @Test
    void captionAndCaptioningNameTheSameTaskInCliAndRest() {
        assertEquals(TaskKind.CAPTIONING, TaskKind.of("captioning"));
        assertEquals(TaskKind.CAPTIONING, TaskKind.of("caption"));
        assertEquals("captioning", TaskKind.CAPTIONING.id());
        assertEquals("captioning", WebTask.CAPTIONING.apiName(), "one canonical name in the CLI and the REST API");
        assertEquals(List.of(WebTask.CAPTIONING), WebTask.parseList("captioning"));
        assertEquals(List.of(WebTask.CAPTIONING), WebTask.parseList("caption"), "existing REST clients keep working");
        assertEquals(List.of(WebTask.DETECTION, WebTask.CAPTIONING), WebTask.parseList("detection,caption,captioning"));
        assertEquals(List.of("detection", "segmentation", "keypoints", "captioning"), WebTask.names());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TaskKind.of("captions"));
        assertTrue(e.getMessage().contains("'caption' also names captioning"), e.getMessage());
        ApiException web = assertThrows(ApiException.class, () -> WebTask.parseList("captions"));
        assertTrue(web.getMessage().contains("'caption' also names captioning"), web.getMessage());
    }

    @Test
    void aNullImageNamesTheParameter(@TempDir Path dir) {
        try (SeqVisionModel model = SeqVisionModel.load(ApiFixtures.savedModel(dir, "{}"))) {
            for (org.junit.jupiter.api.function.Executable call : List.<org.junit.jupiter.api.function.Executable>of(
                    () -> model.detect((java.awt.image.BufferedImage) null),
                    () -> model.detect(null, DecodingOptions.greedy()),
                    () -> model.analyze(null, EnumSet.of(TaskKind.DETECTION), null))) {
                NullPointerException e = assertThrows(NullPointerException.class, call);
                assertTrue(e.getMessage() != null && e.getMessage().startsWith("image is null"), String.valueOf(e.getMessage()));
            }
        }
    }
}
