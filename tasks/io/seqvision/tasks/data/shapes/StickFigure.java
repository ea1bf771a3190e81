package io.seqvision.tasks.data.shapes;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A stick person in a random pose, built around its hip centre at the origin (image axes, y down): thick
 * limbs as capsules, the head as a disc, and the 17 COCO keypoints.
 */
final class StickFigure {

    /** COCO keypoint names, in COCO order. */
    static final List<String> KEYPOINT_NAMES = List.of(
            "nose", "left_eye", "right_eye", "left_ear", "right_ear",
            "left_shoulder", "right_shoulder", "left_elbow", "right_elbow", "left_wrist", "right_wrist",
            "left_hip", "right_hip", "left_knee", "right_knee", "left_ankle", "right_ankle");

    static final int KEYPOINTS = 17;

    private static final int NOSE = 0;
    private static final int LEFT_EYE = 1;
    private static final int RIGHT_EYE = 2;
    private static final int LEFT_EAR = 3;
    private static final int RIGHT_EAR = 4;
    private static final int LEFT_SHOULDER = 5;
    private static final int LEFT_ELBOW = 7;
    private static final int LEFT_WRIST = 9;
    private static final int LEFT_HIP = 11;
    private static final int LEFT_KNEE = 13;
    private static final int LEFT_ANKLE = 15;
    private static final int ARC_SEGMENTS = 6;
    /** Polygon index of the left upper arm; each side adds upper arm, forearm, thigh, shin. */
    private static final int FIRST_LIMB = 5;

    /**
     * @param polygons  limb capsules, torso, shoulder and hip bars, neck and head; their union is the figure
     * @param keypoints 17 x (x, y, v); v = 2 for labelled points, v = 0 with x = y = 0 for unlabelled ones
     * @param eyes      small discs drawn over the head in a contrasting colour, so that the facing is visible
     * @param farParts  indices into {@code polygons} of the far arm and leg of a figure in profile (empty when it
     *                  faces the viewer), painted in a shade and behind the rest: in profile both arms and both
     *                  legs point the way the figure faces, and only depth tells the left limbs from the right
     *                  ones. Unlike a mark on one side, depth stays right under a horizontal flip, whose label
     *                  swap turns the far left limbs into far right ones of a figure facing the other way.
     */
    record Figure(List<double[]> polygons, double[] keypoints, List<double[]> eyes, int[] farParts) {}

    private StickFigure() {}

    /**
     * @param rng    pose source
     * @param height approximate figure height from crown to ankles, in pixels
     */
    static Figure build(SplittableRandom rng, double height) {
        double h = height;
        int roll = rng.nextInt(4); // facing the viewer half the time, else a profile to either side
        int facing = roll < 2 ? 0 : (roll == 2 ? 1 : -1);
        boolean front = facing == 0;
        double lean = rng.nextDouble(-0.2, 0.2);
        double limb = Math.max(1.2, 0.032 * h);
        double headRadius = 0.085 * h;
        double[] neck = {0, -0.30 * h};
        double[] head = {0, neck[1] - 0.05 * h - headRadius};
        double shoulderY = neck[1] + 0.02 * h;
        double shoulderHalf = front ? 0.11 * h : 0.025 * h;
        double hipHalf = front ? 0.065 * h : 0.02 * h;

        double[] kp = new double[3 * KEYPOINTS];
        setFace(kp, head, headRadius, facing);
        for (int side = 0; side < 2; side++) {
            double sign = side == 0 ? 1 : -1; // person's left is image right when facing the viewer
            double[] shoulder = {sign * shoulderHalf, shoulderY};
            double[] hip = {sign * hipHalf, 0};
            double armOut = front ? sign : facing;
            double upperArm = front ? rng.nextDouble(-0.25, 2.7) : rng.nextDouble(-1.0, 2.2);
            double foreArm = upperArm + (front ? rng.nextDouble(-1.8, 1.8) : rng.nextDouble(0, 2.0));
            double[] elbow = step(shoulder, 0.15 * h, upperArm, armOut);
            double[] wrist = step(elbow, 0.14 * h, foreArm, armOut);
            double thigh = front ? rng.nextDouble(-0.1, 0.5) : rng.nextDouble(-0.5, 0.8);
            double shin = front ? thigh + rng.nextDouble(-0.5, 0.3) : thigh - rng.nextDouble(0, 1.2);
            double[] knee = step(hip, 0.22 * h, thigh, armOut);
            double[] ankle = step(knee, 0.22 * h, shin, armOut);
            set(kp, LEFT_SHOULDER + side, shoulder);
            set(kp, LEFT_ELBOW + side, elbow);
            set(kp, LEFT_WRIST + side, wrist);
            set(kp, LEFT_HIP + side, hip);
            set(kp, LEFT_KNEE + side, knee);
            set(kp, LEFT_ANKLE + side, ankle);
        }

        List<double[]> polygons = new ArrayList<>();
        polygons.add(Polygons.regular(head[0], head[1], headRadius, 20, 0));
        polygons.add(Polygons.capsule(neck[0], neck[1], head[0], head[1] + 0.5 * headRadius, 0.7 * limb,
                ARC_SEGMENTS));
        polygons.add(Polygons.capsule(neck[0], neck[1], 0, 0, (front ? 1.6 : 1.4) * limb, ARC_SEGMENTS));
        polygons.add(capsule(kp, LEFT_SHOULDER, LEFT_SHOULDER + 1, limb));
        polygons.add(capsule(kp, LEFT_HIP, LEFT_HIP + 1, limb));
        for (int side = 0; side < 2; side++) {
            polygons.add(capsule(kp, LEFT_SHOULDER + side, LEFT_ELBOW + side, limb));
            polygons.add(capsule(kp, LEFT_ELBOW + side, LEFT_WRIST + side, limb));
            polygons.add(capsule(kp, LEFT_HIP + side, LEFT_KNEE + side, 1.15 * limb));
            polygons.add(capsule(kp, LEFT_KNEE + side, LEFT_ANKLE + side, 1.15 * limb));
        }
        List<double[]> eyes = new ArrayList<>();
        double eyeRadius = Math.max(0.8, 0.14 * headRadius);
        for (int eye : new int[] {LEFT_EYE, RIGHT_EYE}) {
            if (kp[3 * eye + 2] > 0) {
                eyes.add(Polygons.regular(kp[3 * eye], kp[3 * eye + 1], eyeRadius, 10, 0));
            }
        }
        rotate(polygons, kp, eyes, lean);
        return new Figure(polygons, kp, eyes, farParts(facing));
    }

    /**
     * The far side's four limb segments: facing image right (+1) the figure shows its right side, so its left
     * limbs (the first four after the head, neck, torso and the two bars) are the far ones.
     */
    private static int[] farParts(int facing) {
        if (facing == 0) {
            return new int[0];
        }
        int first = facing > 0 ? FIRST_LIMB : FIRST_LIMB + 4;
        return new int[] {first, first + 1, first + 2, first + 3};
    }

    /**
     * Face keypoints. Facing the viewer, all five are labelled; in profile (facing = +1: towards image right)
     * the far eye and ear are hidden and stay unlabelled. A person facing image right has turned to their own
     * left, so their right side is the near one.
     */
    private static void setFace(double[] kp, double[] c, double r, int facing) {
        if (facing == 0) {
            set(kp, NOSE, new double[] {c[0], c[1] + 0.15 * r});
            set(kp, LEFT_EYE, new double[] {c[0] + 0.38 * r, c[1] - 0.2 * r});
            set(kp, RIGHT_EYE, new double[] {c[0] - 0.38 * r, c[1] - 0.2 * r});
            set(kp, LEFT_EAR, new double[] {c[0] + 0.85 * r, c[1] - 0.05 * r});
            set(kp, RIGHT_EAR, new double[] {c[0] - 0.85 * r, c[1] - 0.05 * r});
            return;
        }
        set(kp, NOSE, new double[] {c[0] + facing * 0.78 * r, c[1] + 0.1 * r});
        int nearEye = facing > 0 ? RIGHT_EYE : LEFT_EYE;
        int nearEar = facing > 0 ? RIGHT_EAR : LEFT_EAR;
        set(kp, nearEye, new double[] {c[0] + facing * 0.45 * r, c[1] - 0.2 * r});
        set(kp, nearEar, new double[] {c[0] - facing * 0.15 * r, c[1] - 0.05 * r});
    }

    /** Point at {@code length} from {@code from}, at {@code angle} from straight down, turning towards {@code out}. */
    private static double[] step(double[] from, double length, double angle, double out) {
        return new double[] {from[0] + out * length * Math.sin(angle), from[1] + length * Math.cos(angle)};
    }

    private static void set(double[] kp, int index, double[] xy) {
        kp[3 * index] = xy[0];
        kp[3 * index + 1] = xy[1];
        kp[3 * index + 2] = 2;
    }

    private static double[] capsule(double[] kp, int a, int b, double halfWidth) {
        return Polygons.capsule(kp[3 * a], kp[3 * a + 1], kp[3 * b], kp[3 * b + 1], halfWidth, ARC_SEGMENTS);
    }

    private static void rotate(List<double[]> polygons, double[] kp, List<double[]> eyes, double angle) {
        double c = Math.cos(angle);
        double s = Math.sin(angle);
        for (List<double[]> list : List.of(polygons, eyes)) {
            for (double[] xy : list) {
                rotatePairs(xy, c, s);
            }
        }
        for (int i = 0; i < KEYPOINTS; i++) {
            if (kp[3 * i + 2] > 0) {
                double x = kp[3 * i];
                double y = kp[3 * i + 1];
                kp[3 * i] = c * x - s * y;
                kp[3 * i + 1] = s * x + c * y;
            }
        }
    }

    private static void rotatePairs(double[] xy, double c, double s) {
        for (int i = 0; i < xy.length; i += 2) {
            double x = xy[i];
            double y = xy[i + 1];
            xy[i] = c * x - s * y;
            xy[i + 1] = s * x + c * y;
        }
    }
}
