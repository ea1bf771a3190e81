package io.seqvision.tasks.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqvision.tasks.data.ObjectCrop;
import io.seqvision.tokenizers.Keypoint;
import java.util.List;
import org.junit.jupiter.api.Test;

class PoseViewsTest {

    @Test
    void readingsGoWindowByWindowEachThenMirrored() {
        PoseViews views = new PoseViews(List.of(1.3, 1.5), true);
        assertEquals(4, views.count());
        assertEquals(List.of(1.3, 1.3, 1.5, 1.5), List.of(views.window(0), views.window(1), views.window(2),
                views.window(3)));
        assertEquals(List.of(false, true, false, true), List.of(views.mirrored(0), views.mirrored(1),
                views.mirrored(2), views.mirrored(3)));
        PoseViews plain = new PoseViews(List.of(1.2, 1.6), false);
        assertEquals(2, plain.count());
        assertEquals(1.6, plain.window(1));
        assertFalse(plain.mirrored(1));
        assertEquals(1, PoseViews.single().count());
        assertEquals(ObjectCrop.INFERENCE_ENLARGE, PoseViews.single().window(0));
        assertThrows(IllegalArgumentException.class, () -> new PoseViews(List.of(), true));
    }

    @Test
    void theMedianIsTakenPerCoordinateOverTheReadingsThatLabelAPoint() {
        List<List<Keypoint>> readings = List.of(
                List.of(new Keypoint(0.1, 0.9, 2), new Keypoint(0.5, 0.5, 2), Keypoint.UNLABELLED),
                List.of(new Keypoint(0.3, 0.2, 2), Keypoint.UNLABELLED, Keypoint.UNLABELLED),
                List.of(new Keypoint(0.9, 0.4, 2), new Keypoint(0.7, 0.1, 2), Keypoint.UNLABELLED));
        List<Keypoint> pose = PoseViews.median(readings);
        assertEquals(0.3, pose.get(0).x(), 1e-12, "odd count: the middle x");
        assertEquals(0.4, pose.get(0).y(), 1e-12, "the middle y, from another reading than the x");
        assertEquals(0.6, pose.get(1).x(), 1e-12, "even count: the mean of the middle two");
        assertEquals(0.3, pose.get(1).y(), 1e-12);
        assertEquals(2, pose.get(1).visibility());
        assertFalse(pose.get(2).labelled(), "unlabelled only when no reading labels it");
    }

    @Test
    void anOutlyingReadingDoesNotMoveTheMedian() {
        Keypoint near = new Keypoint(0.50, 0.50, 2);
        List<Keypoint> pose = PoseViews.median(List.of(List.of(near), List.of(new Keypoint(0.52, 0.49, 2)),
                List.of(new Keypoint(0.51, 0.51, 2)), List.of(new Keypoint(0.0, 1.0, 2)),
                List.of(new Keypoint(0.505, 0.5, 2))));
        assertTrue(Math.abs(pose.get(0).x() - 0.505) < 1e-12 && Math.abs(pose.get(0).y() - 0.5) < 1e-12,
                pose.get(0).toString());
    }
}
