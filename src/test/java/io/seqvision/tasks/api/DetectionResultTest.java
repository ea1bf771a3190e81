package io.seqvision.tasks.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import ai.djl.modality.cv.output.DetectedObjects;
import ai.djl.modality.cv.output.Rectangle;
import io.seqvision.decoder.generate.GeneratedSequence;
import io.seqvision.tokenizers.TokenBox;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;

class DetectionResultTest {

    private static final GeneratedSequence NONE = new GeneratedSequence(new int[0], new float[0], true);

    @Test
    void normalisedBoxesBecomePixelsOfTheImage() {
        Detection d = new ImageFrame(200, 100).detection(new TokenBox(0.25, 0.1, 0.75, 0.6, 1, 0.8), List.of("a", "b"));
        assertEquals(new Detection("b", 1, 0.8, 20, 25, 120, 75), d);
        assertEquals(100, d.width(), 1e-12);
        assertEquals(50, d.height(), 1e-12);
    }

    @Test
    void djlObjectsCarryNamesScoresAndNormalisedRectangles() {
        DetectionResult result = new DetectionResult(200, 100, List.of(
                new Detection("b", 1, 0.8, 20, 25, 120, 75),
                new Detection("a", 0, 0.3, 0, 0, 200, 100)), NONE);
        DetectedObjects objects = result.toDetectedObjects();
        assertEquals(2, objects.getNumberOfObjects());
        DetectedObjects.DetectedObject first = objects.item(0);
        assertEquals("b", first.getClassName());
        assertEquals(0.8, first.getProbability(), 1e-12);
        Rectangle bounds = first.getBoundingBox().getBounds();
        assertEquals(0.1, bounds.getX(), 1e-12);
        assertEquals(0.25, bounds.getY(), 1e-12);
        assertEquals(0.5, bounds.getWidth(), 1e-12);
        assertEquals(0.5, bounds.getHeight(), 1e-12);
        DetectedObjects.DetectedObject second = objects.item(1);
        assertEquals(1.0, second.getBoundingBox().getBounds().getWidth(), 1e-12);
    }

    @Test
    void djlDrawsTheBoxesWhereTheyAre() {
        BufferedImage white = new BufferedImage(200, 100, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = white.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, 200, 100);
        g.dispose();
        DetectionResult result = new DetectionResult(200, 100,
                List.of(new Detection("b", 1, 0.8, 40, 20, 140, 80)), NONE);
        Image image = ImageFactory.getInstance().fromImage(white);
        image.drawBoundingBoxes(result.toDetectedObjects());
        BufferedImage drawn = (BufferedImage) image.getWrappedImage();
        assertNotEquals(0xFFFFFF, drawn.getRGB(140, 50) & 0xFFFFFF, "the right edge at x = 140 is drawn");
        assertNotEquals(0xFFFFFF, drawn.getRGB(90, 80) & 0xFFFFFF, "the bottom edge at y = 80 is drawn");
        assertEquals(0xFFFFFF, drawn.getRGB(90, 50) & 0xFFFFFF, "the inside is left alone");
        assertEquals(0xFFFFFF, drawn.getRGB(10, 95) & 0xFFFFFF, "outside the box is left alone");
    }

    @Test
    void rejectsNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new Detection("a", 0, 1, 10, 0, 5, 1));
        assertThrows(IllegalArgumentException.class, () -> new DetectionResult(0, 10, List.of(), NONE));
        assertThrows(IllegalArgumentException.class, () -> new GeneratedSequence(new int[2], new float[1], true));
    }
}
