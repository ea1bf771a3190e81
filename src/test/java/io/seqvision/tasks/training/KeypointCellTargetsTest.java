package io.seqvision.tasks.training;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.seqvision.tokenizers.CocoKeypoints;
import io.seqvision.tokenizers.Keypoint;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KeypointCellTargetsTest {

    private static final int GRID = 4;
    private static final int CELLS = GRID * GRID;

    @Test
    void aPointOnACellCentreTargetsThatCellAlone() {
        // cell (row 2, column 1) has its centre at x = 1.5 / 4, y = 2.5 / 4
        float[] out = label(pose(0, new Keypoint(1.5 / GRID, 2.5 / GRID, 2)));
        assertEquals(1f, out[2 * GRID + 1], 1e-6f);
        assertEquals(1f, sum(out, 0), 1e-6f);
    }

    @Test
    void aPointBetweenCentresIsSharedBilinearly() {
        // a quarter of the way from column 1's centre to column 2's, halfway between rows 0 and 1
        float[] out = label(pose(3, new Keypoint(1.75 / GRID, 1.0 / GRID, 2)));
        int base = 3 * CELLS;
        assertEquals(0.75f * 0.5f, out[base + 1], 1e-6f);
        assertEquals(0.25f * 0.5f, out[base + 2], 1e-6f);
        assertEquals(0.75f * 0.5f, out[base + GRID + 1], 1e-6f);
        assertEquals(0.25f * 0.5f, out[base + GRID + 2], 1e-6f);
        assertEquals(1f, sum(out, 3), 1e-6f);
    }

    @Test
    void pointsInTheOuterHalfCellsGoToTheNearestCentre() {
        float[] corner = label(pose(0, new Keypoint(0.0, 1.0, 2)));
        assertEquals(1f, corner[(GRID - 1) * GRID], 1e-6f);
        float[] edge = label(pose(0, new Keypoint(1.0, 2.5 / GRID, 2)));
        assertEquals(1f, edge[2 * GRID + GRID - 1], 1e-6f);
    }

    @Test
    void unlabelledPointsHaveNoWeightAndAreNotCounted() {
        List<Keypoint> keypoints = new ArrayList<>(Collections.nCopies(CocoKeypoints.COUNT, Keypoint.UNLABELLED));
        keypoints.set(5, new Keypoint(0.3, 0.6, 1));
        keypoints.set(9, new Keypoint(0.9, 0.1, 2));
        float[] out = new float[CocoKeypoints.COUNT * CELLS];
        assertEquals(2, KeypointCellTargets.label(keypoints, GRID, out, 0));
        for (int k = 0; k < CocoKeypoints.COUNT; k++) {
            assertEquals(k == 5 || k == 9 ? 1f : 0f, sum(out, k), 1e-6f, "keypoint " + k);
        }
    }

    @Test
    void theTargetsMeanOverCellCentresIsThePointInside() {
        Random random = new Random(3);
        for (int trial = 0; trial < 200; trial++) {
            double x = (0.5 + random.nextDouble() * (GRID - 1)) / GRID;
            double y = (0.5 + random.nextDouble() * (GRID - 1)) / GRID;
            float[] out = label(pose(7, new Keypoint(x, y, 2)));
            double meanX = 0;
            double meanY = 0;
            for (int row = 0; row < GRID; row++) {
                for (int column = 0; column < GRID; column++) {
                    double w = out[7 * CELLS + row * GRID + column];
                    meanX += w * (column + 0.5) / GRID;
                    meanY += w * (row + 0.5) / GRID;
                }
            }
            assertEquals(x, meanX, 1e-6, "x of trial " + trial);
            assertEquals(y, meanY, 1e-6, "y of trial " + trial);
        }
    }

    @Test
    void aSecondPersonIsWrittenAtItsOffset() {
        float[] out = new float[2 * CocoKeypoints.COUNT * CELLS];
        KeypointCellTargets.label(pose(0, new Keypoint(0.5 / GRID, 0.5 / GRID, 2)), GRID, out,
                CocoKeypoints.COUNT * CELLS);
        assertEquals(0f, sum(out, 0), 0f);
        assertEquals(1f, out[CocoKeypoints.COUNT * CELLS], 1e-6f);
    }

    private static List<Keypoint> pose(int index, Keypoint point) {
        List<Keypoint> keypoints = new ArrayList<>(Collections.nCopies(CocoKeypoints.COUNT, Keypoint.UNLABELLED));
        keypoints.set(index, point);
        return keypoints;
    }

    private static float[] label(List<Keypoint> keypoints) {
        float[] out = new float[CocoKeypoints.COUNT * CELLS];
        KeypointCellTargets.label(keypoints, GRID, out, 0);
        return out;
    }

    private static float sum(float[] out, int keypoint) {
        float total = 0;
        for (int c = 0; c < CELLS; c++) {
            total += out[keypoint * CELLS + c];
        }
        return total;
    }
}
