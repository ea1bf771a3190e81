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
            if (unlabelled == 0) {
                frontal++;
                // facing the viewer, the person's left is on the image's right
                assertTrue(x(kp, LEFT_EYE) > x(kp, RIGHT_EYE));
                assertTrue(x(kp, LEFT_EAR) > x(kp, RIGHT_EAR));
                assertTrue(x(kp, LEFT_SHOULDER) > x(kp, RIGHT_SHOULDER));
                assertEquals(2, figure.eyes().size());
                assertEquals(0, figure.farParts().length, "facing the viewer no limb is behind another");
            } else {
                profiles++;
                assertEquals(2, unlabelled, "seed " + seed);
                assertEquals(1, figure.eyes().size());
                boolean leftHidden = kp[3 * LEFT_EYE + 2] == 0;
                // the far limbs are the hidden eye's side: their segments end on that side's elbow, wrist, knee, ankle
                int[] far = figure.farParts();
                assertEquals(4, far.length);
                int side = leftHidden ? 0 : 1;
                int[] joints = {7 + side, 9 + side, 13 + side, 15 + side};
                for (int i = 0; i < 4; i++) {
                    double[] part = figure.polygons().get(far[i]);
                    double jx = kp[3 * joints[i]];
                    double jy = kp[3 * joints[i] + 1];
                    assertTrue(Polygons.path(part).contains(jx, jy), "seed " + seed + ": far part " + i
                            + " does not reach " + StickFigure.KEYPOINT_NAMES.get(joints[i]));
                }
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
