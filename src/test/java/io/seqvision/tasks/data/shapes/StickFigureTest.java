package io.seqvision.tasks.data.shapes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.geom.Path2D;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class StickFigureTest {

    private static final int NOSE = 0;
    private static final int LEFT_EYE = 1;
    private static final int RIGHT_EYE = 2;
    private static final int LEFT_EAR = 3;
    private static final int RIGHT_EAR = 4;
    private static final int LEFT_SHOULDER = 5;
    private static final int RIGHT_SHOULDER = 6;

    private static double[] centroid(double[] polygon) {
        double x = 0;
        double y = 0;
        int n = polygon.length / 2;
        for (int i = 0; i < polygon.length; i += 2) {
            x += polygon[i];
            y += polygon[i + 1];
        }
        return new double[] {x / n, y / n};
    }

    @Test
    void keypointsFollowCocoConventionsAndLieOnTheFigure() {
        int frontal = 0;
        int profiles = 0;
        for (int seed = 0; seed < 200; seed++) {
            StickFigure.Figure figure = StickFigure.build(new SplittableRandom(seed), 100);
            double[] kp = figure.keypoints();
            assertEquals(51, kp.length);
            assertEquals(13, figure.polygons().size(), "head, neck, torso, 2 bars, 8 limb segments");
            List<Path2D.Double> parts = figure.polygons().stream().map(Polygons::path).toList();
            int unlabelled = 0;
            for (int k = 0; k < 17; k++) {
                double x = kp[3 * k];
                double y = kp[3 * k + 1];
                double v = kp[3 * k + 2];
                if (v == 0) {
                    unlabelled++;
                    assertTrue(k >= LEFT_EYE && k <= RIGHT_EAR, "only eyes and ears may be unlabelled, not " + k);
                    assertEquals(0, x);
                    assertEquals(0, y);
                } else {
                    assertEquals(2, v);
                    assertTrue(parts.stream().anyMatch(p -> p.contains(x, y)),
                            "seed " + seed + ": keypoint " + StickFigure.KEYPOINT_NAMES.get(k) + " off the figure");
                }
            }
            // the left wrist and left ankle carry a marker disc centred on them, inside the figure
            assertEquals(2, figure.markers().size());
            for (int m = 0; m < 2; m++) {
                int joint = m == 0 ? 9 : 15;
                double[] disc = figure.markers().get(m);
                double[] centre = centroid(disc);
                assertEquals(kp[3 * joint], centre[0], 1e-9, "marker " + m + " centred on its joint");
                assertEquals(kp[3 * joint + 1], centre[1], 1e-9);
                for (int i = 0; i < disc.length; i += 2) {
                    double px = centre[0] + 0.98 * (disc[i] - centre[0]);
                    double py = centre[1] + 0.98 * (disc[i + 1] - centre[1]);
                    assertTrue(parts.stream().anyMatch(p -> p.contains(px, py)),
                            "seed " + seed + ": marker " + m + " reaches outside the figure");
                }
            }
            if (unlabelled == 0) {
                frontal++;
                // facing the viewer, the person's left is on the image's right
                assertTrue(x(kp, LEFT_EYE) > x(kp, RIGHT_EYE));
                assertTrue(x(kp, LEFT_EAR) > x(kp, RIGHT_EAR));
                assertTrue(x(kp, LEFT_SHOULDER) > x(kp, RIGHT_SHOULDER));
                assertEquals(2, figure.eyes().size());
            } else {
                profiles++;
                assertEquals(2, unlabelled, "seed " + seed);
                assertEquals(1, figure.eyes().size());
                boolean leftHidden = kp[3 * LEFT_EYE + 2] == 0;
                assertEquals(leftHidden, kp[3 * LEFT_EAR + 2] == 0, "eye and ear of one side hide together");
                // facing image right shows the right side: the nose points away from the visible ear
                if (leftHidden) {
                    assertTrue(x(kp, NOSE) > x(kp, RIGHT_EAR));
                } else {
                    assertTrue(x(kp, NOSE) < x(kp, LEFT_EAR));
                }
            }
        }
        assertTrue(frontal > 50 && profiles > 50, frontal + " frontal, " + profiles + " profiles");
    }

    @Test
    void skeletonIsCocos() {
        int[][] skeleton = io.seqvision.tokenizers.CocoKeypoints.skeleton();
        assertEquals(19, skeleton.length);
        assertEquals(17, StickFigure.KEYPOINT_NAMES.size());
        assertEquals("left_shoulder", StickFigure.KEYPOINT_NAMES.get(5));
        assertEquals("right_ankle", StickFigure.KEYPOINT_NAMES.get(16));
        for (int[] bone : skeleton) {
            assertTrue(bone[0] >= 0 && bone[0] < 17 && bone[1] >= 0 && bone[1] < 17);
        }
        // COCO's first limb is left ankle - left knee, its last right ear - right shoulder
        assertArrayEquals(new int[] {15, 13}, skeleton[0]);
        assertArrayEquals(new int[] {4, 6}, skeleton[18]);
    }

    private static double x(double[] kp, int index) {
        return kp[3 * index];
    }
}
