package io.seqvision.tasks.config;

import java.util.List;

/**
 * Person keypoints, prompted by a person's box; the pose is read from a window of the image
 * around the box.
 *
 * @param testWindows the windows each person is read from at inference, as multiples of its
 *     box's longer side (training draws them from 1.2 to 1.6); one entry reads it once
 * @param flipTest also read every window mirrored (and un-mirror that pose, left and right
 *     swapped), as top-down pose estimators do; with several readings the pose is the median of
 *     each coordinate over them
 */
public record KeypointsConfig(double weight, double lossWeight, SamplingConfig sampling, List<Double> testWindows,
        boolean flipTest) {

    public KeypointsConfig {
        testWindows = testWindows == null ? null : List.copyOf(testWindows);
    }

    public TaskConfig task() {
        return new TaskConfig(weight, lossWeight, sampling);
    }

    /** How many times each person is read at inference. */
    public int views() {
        return testWindows.size() * (flipTest ? 2 : 1);
    }
}
