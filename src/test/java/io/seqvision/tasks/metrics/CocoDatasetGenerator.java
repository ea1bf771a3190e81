package io.seqvision.tasks.metrics;

import java.util.ArrayList;
import java.util.List;

/**
 * A seeded, COCO-like random data set: 5 to 44 images, objects of all sizes in 4 categories with
 * occasional crowds, jittered detections (sometimes of the wrong class) with tied scores, random
 * false positives, and in a quarter of the seeds bursts of 250 detections on an image so the
 * 100-per-image limit bites. It uses integer arithmetic on splitmix64 so that an identical
 * Python generator fed the same seed reproduces it exactly, letting pycocotools' own numbers
 * serve as reference values.
 */
final class CocoDatasetGenerator {

    record Dataset(List<Long> imageIds, List<GroundTruthBox> groundTruths, List<DetectionBox> detections) {}

    private long state;

    private CocoDatasetGenerator(long seed) {
        this.state = seed;
    }

    private long next() {
        state += 0x9E3779B97F4A7C15L;
        long z = state;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private int below(int bound) {
        return (int) Long.remainderUnsigned(next(), bound);
    }

    static Dataset generate(long seed) {
        return new CocoDatasetGenerator(seed).dataset();
    }

    private Dataset dataset() {
        int imageCount = 5 + below(40);
        boolean heavy = below(4) == 0;
        List<Long> images = new ArrayList<>();
        List<GroundTruthBox> gts = new ArrayList<>();
        List<DetectionBox> dets = new ArrayList<>();
        int[] bases = {4, 30, 90};
        int[] spreads = {30, 70, 200};
        for (int i = 0; i < imageCount; i++) {
            long image = 1000 + 7L * i;
            images.add(image);
            int objects = below(7);
            for (int j = 0; j < objects; j++) {
                int category = 1 + below(4);
                int size = below(3);
                int w = bases[size] + below(spreads[size]);
                int h = bases[size] + below(spreads[size]);
                int x = below(300);
                int y = below(300);
                boolean crowd = below(12) == 0;
                double area = (double) (w * h * (50 + below(51))) / 100.0;
                gts.add(new GroundTruthBox(image, category, x, y, w, h, area, crowd));
                int copies = below(4);
                for (int k = 0; k < copies; k++) {
                    int dx = below(9) - 4;
                    int dy = below(9) - 4;
                    int dw = below(9) - 4;
                    int dh = below(9) - 4;
                    int detCategory = below(10) == 0 ? 1 + below(4) : category;
                    double score = below(21) / 20.0;
                    dets.add(new DetectionBox(image, detCategory, x + dx, y + dy,
                            Math.max(1, w + dw), Math.max(1, h + dh), score));
                }
            }
            boolean burst = heavy && below(3) == 0;
            int falsePositives = below(4) + (burst ? 250 : 0);
            for (int k = 0; k < falsePositives; k++) {
                int category = burst && below(2) == 0 ? 1 : 1 + below(4);
                int w = 2 + below(150);
                int h = 2 + below(150);
                int x = below(350);
                int y = below(350);
                dets.add(new DetectionBox(image, category, x, y, w, h, below(101) / 100.0));
            }
        }
        return new Dataset(images, gts, dets);
    }
}
