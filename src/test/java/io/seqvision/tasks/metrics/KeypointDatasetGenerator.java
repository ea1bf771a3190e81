package io.seqvision.tasks.metrics;

import java.util.ArrayList;
import java.util.List;

/**
 * A seeded, COCO-like random keypoint data set: 4 to 17 images with up to 4 people of all sizes
 * (mostly category 1, some category 2), partly labelled keypoints in quarter pixels, some people
 * without any labelled keypoint and some crowds; detections that jitter the labelled points by
 * amounts proportional to the person's size (guessing points near the box for the unlabelled),
 * random false positives, tied scores, and in a third of the seeds bursts of 30 detections on an
 * image so the 20-per-image limit bites. Integer draws only, so the Python port in
 * src/test/python/coco_reference.py reproduces it exactly.
 */
final class KeypointDatasetGenerator {

    record Dataset(List<Long> imageIds, List<GroundTruthKeypoints> groundTruths, List<DetectionKeypoints> detections) {}

    private static final int POINTS = 17;

    private final SplitMix64 random;

    private KeypointDatasetGenerator(long seed) {
        this.random = new SplitMix64(seed);
    }

    static Dataset generate(long seed) {
        return new KeypointDatasetGenerator(seed).dataset();
    }

    private Dataset dataset() {
        int imageCount = 4 + random.below(14);
        boolean heavy = random.below(3) == 0;
        List<Long> images = new ArrayList<>();
        List<GroundTruthKeypoints> gts = new ArrayList<>();
        List<DetectionKeypoints> dets = new ArrayList<>();
        int[] bases = {15, 40, 100};
        int[] spreads = {40, 100, 200};
        for (int i = 0; i < imageCount; i++) {
            long image = 700 + 5L * i;
            images.add(image);
            int people = random.below(5);
            for (int j = 0; j < people; j++) {
                int category = random.below(5) == 0 ? 2 : 1;
                int size = random.below(3);
                int w = bases[size] + random.below(spreads[size]);
                int h = bases[size] + random.below(spreads[size]);
                int x = random.below(400);
                int y = random.below(400);
                double area = (double) (w * h * (40 + random.below(61))) / 100.0;
                boolean crowd = random.below(12) == 0;
                boolean unlabelled = random.below(6) == 0;
                double[] keypoints = new double[3 * POINTS];
                for (int k = 0; k < POINTS; k++) {
                    int v = unlabelled || random.below(4) == 0 ? 0 : 1 + random.below(2);
                    if (v > 0) {
                        keypoints[3 * k] = x + random.below(4 * w + 1) / 4.0;
                        keypoints[3 * k + 1] = y + random.below(4 * h + 1) / 4.0;
                        keypoints[3 * k + 2] = v;
                    }
                }
                gts.add(new GroundTruthKeypoints(image, category, keypoints, x, y, w, h, area, crowd));
                int copies = random.below(4);
                for (int c = 0; c < copies; c++) {
                    int spread = 1 + (w + h) / (4 + random.below(40)); // in quarter pixels
                    double[] guess = new double[3 * POINTS];
                    for (int k = 0; k < POINTS; k++) {
                        double gx = keypoints[3 * k + 2] > 0 ? keypoints[3 * k] : x - w + random.below(4 * w + 1);
                        double gy = keypoints[3 * k + 2] > 0 ? keypoints[3 * k + 1] : y - h + random.below(4 * h + 1);
                        guess[3 * k] = gx + (random.below(2 * spread + 1) - spread) / 4.0;
                        guess[3 * k + 1] = gy + (random.below(2 * spread + 1) - spread) / 4.0;
                        guess[3 * k + 2] = 1;
                    }
                    int detCategory = random.below(10) == 0 ? 1 + random.below(2) : category;
                    dets.add(new DetectionKeypoints(image, detCategory, guess, random.below(21) / 20.0));
                }
            }
            boolean burst = heavy && random.below(2) == 0;
            int falsePositives = random.below(3) + (burst ? 30 : 0);
            for (int k = 0; k < falsePositives; k++) {
                int fx = random.below(400);
                int fy = random.below(400);
                int extent = 10 + random.below(150);
                double[] guess = new double[3 * POINTS];
                for (int p = 0; p < POINTS; p++) {
                    guess[3 * p] = fx + random.below(4 * extent + 1) / 4.0;
                    guess[3 * p + 1] = fy + random.below(4 * extent + 1) / 4.0;
                    guess[3 * p + 2] = 1;
                }
                int category = random.below(5) == 0 ? 2 : 1;
                dets.add(new DetectionKeypoints(image, category, guess, random.below(101) / 100.0));
            }
        }
        return new Dataset(images, gts, dets);
    }
}
