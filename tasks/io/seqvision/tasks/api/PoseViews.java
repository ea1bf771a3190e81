package io.seqvision.tasks.api;

import io.seqvision.tasks.config.KeypointsConfig;
import io.seqvision.tasks.data.ObjectCrop;
import io.seqvision.tokenizers.Keypoint;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How inference reads a person's pose: from windows of the given sizes around the box (times its
 * longer side), each also mirrored when {@code flip}; several readings are combined by {@link
 * #median}. Test-time augmentation as top-down pose estimators use it (flip test, several scales):
 * it costs one decoding per reading and leaves training alone.
 *
 * @param windows window sizes, at least one
 * @param flip    whether every window is also read mirrored
 */
public record PoseViews(List<Double> windows, boolean flip) {

    public PoseViews {
        windows = List.copyOf(windows);
        if (windows.isEmpty()) {
            throw new IllegalArgumentException("pose views need at least one window size");
        }
    }

    /** One reading from the window training centres on: the behaviour without test-time augmentation. */
    public static PoseViews single() {
        return new PoseViews(List.of(ObjectCrop.INFERENCE_ENLARGE), false);
    }

    public static PoseViews of(KeypointsConfig config) {
        return new PoseViews(config.testWindows(), config.flipTest());
    }

    /** Readings per person. */
    public int count() {
        return windows.size() * (flip ? 2 : 1);
    }

    /** The window size of reading {@code i}. */
    public double window(int i) {
        return windows.get(flip ? i / 2 : i);
    }

    /** Whether reading {@code i} is mirrored. */
    public boolean mirrored(int i) {
        return flip && i % 2 == 1;
    }

    /**
     * One pose from several readings of it (in image coordinates, mirrored ones already turned
     * back): each keypoint is the median of its x and of its y over the readings that label it,
     * and unlabelled only when none does.
     */
    public static List<Keypoint> median(List<List<Keypoint>> readings) {
        int points = readings.get(0).size();
        List<Keypoint> pose = new ArrayList<>(points);
        for (int k = 0; k < points; k++) {
            double[] xs = new double[readings.size()];
            double[] ys = new double[readings.size()];
            int n = 0;
            for (List<Keypoint> reading : readings) {
                Keypoint point = reading.get(k);
                if (point.labelled()) {
                    xs[n] = point.x();
                    ys[n] = point.y();
                    n++;
                }
            }
            pose.add(n == 0 ? Keypoint.UNLABELLED : new Keypoint(median(xs, n), median(ys, n), 2));
        }
        return pose;
    }

    private static double median(double[] values, int n) {
        double[] sorted = Arrays.copyOf(values, n);
        Arrays.sort(sorted);
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
