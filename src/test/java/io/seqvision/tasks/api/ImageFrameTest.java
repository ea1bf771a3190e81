package io.seqvision.tasks.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqvision.tokenizers.CocoKeypoints;
import io.seqvision.tokenizers.Keypoint;
import io.seqvision.tokenizers.NormalizedPolygon;
import io.seqvision.tokenizers.TokenBox;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Decoded coordinates, normalised to [0, 1], become pixels of the image's frame. */
class ImageFrameTest {

    private static final ImageFrame FRAME = new ImageFrame(200, 100);

    @Test
    void boxesScaleByWidthAndHeightAndKeepClassAndScore() {
        Detection d = FRAME.detection(new TokenBox(0.25, 0.1, 0.75, 0.6, 1, 0.8), List.of("a", "b"));
        assertEquals(new Detection("b", 1, 0.8, 20, 25, 120, 75), d);
    }

    @Test
    void polygonsScaleVertexByVertex() {
        double[] xy = FRAME.polygon(new NormalizedPolygon(new double[] {0.5, 0.5, 1, 0, 0, 1}));
        assertArrayEquals(new double[] {100, 50, 200, 0, 0, 100}, xy, 0);
        assertEquals(2, FRAME.polygons(List.of(new NormalizedPolygon(new double[] {0, 0, 1, 0, 1, 1}),
                new NormalizedPolygon(new double[] {0, 0, 0.5, 0, 0.5, 0.5}))).size());
    }

    @Test
    void posesCarryCocoNamesAndPutUnlabelledPointsAtTheOrigin() {
        List<Keypoint> pose = new ArrayList<>(Collections.nCopies(CocoKeypoints.COUNT, Keypoint.UNLABELLED));
        pose.set(0, new Keypoint(0.5, 0.25, 2));
        pose.set(16, new Keypoint(0.1, 0.9, 1));
        List<PosePoint> points = FRAME.pose(pose);
        assertEquals(new PosePoint("nose", 100, 25, true), points.get(0));
        assertEquals(new PosePoint(CocoKeypoints.NAMES.get(16), 20, 90, true), points.get(16));
        PosePoint unlabelled = points.get(5);
        assertFalse(unlabelled.visible());
        assertEquals(0, unlabelled.x());
        assertEquals(0, unlabelled.y());
    }

    @Test
    void theUnitFrameLeavesCoordinatesNormalised() {
        TokenBox box = new TokenBox(0.3, 0.1, 0.7, 0.9, 0, 0.5);
        Detection d = ImageFrame.UNIT.detection(box, List.of("a"));
        assertEquals(box.xmin(), d.xmin(), 0);
        assertEquals(box.ymax(), d.ymax(), 0);
    }

    @Test
    void anEmptyFrameIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ImageFrame(0, 10));
        assertTrue(e.getMessage().contains("0x10"), e.getMessage());
    }
}
