package io.seqvision.tasks.metrics;

import io.seqvision.tokenizers.BinaryMask;
import java.util.ArrayList;
import java.util.List;

/**
 * A seeded, COCO-like random instance-segmentation data set: 4 to 15 images of 24 to 243 pixels a
 * side, rectangles, triangles and quadrilaterals of all sizes in 3 categories with occasional
 * crowds, detections that are jittered copies (sometimes of the wrong class, sometimes empty) with
 * tied scores, random false positives, and in a quarter of the seeds bursts of 240 detections on
 * an image so the 100-per-image limit bites. Shapes are rasterised with integer arithmetic (a
 * pixel is set when its centre lies inside the polygon, even-odd rule) so that the Python port in
 * src/test/python/coco_reference.py draws the same pixels.
 */
final class MaskDatasetGenerator {

    record Dataset(List<Long> imageIds, List<GroundTruthMask> groundTruths, List<DetectionMask> detections) {}

    private final SplitMix64 random;

    private MaskDatasetGenerator(long seed) {
        this.random = new SplitMix64(seed);
    }

    static Dataset generate(long seed) {
        return new MaskDatasetGenerator(seed).dataset();
    }

    private Dataset dataset() {
        int imageCount = 4 + random.below(12);
        boolean heavy = random.below(4) == 0;
        List<Long> images = new ArrayList<>();
        List<GroundTruthMask> gts = new ArrayList<>();
        List<DetectionMask> dets = new ArrayList<>();
        for (int i = 0; i < imageCount; i++) {
            long image = 500 + 3L * i;
            images.add(image);
            int width = 24 + random.below(220);
            int height = 24 + random.below(220);
            int objects = random.below(6);
            for (int j = 0; j < objects; j++) {
                int category = 1 + random.below(3);
                int[] shape = shape(width, height);
                boolean crowd = random.below(10) == 0;
                RunLengthMask mask = rasterize(shape, width, height);
                double area = (double) (mask.area() * (60 + random.below(41))) / 100.0;
                gts.add(new GroundTruthMask(image, category, mask, area, crowd));
                int copies = random.below(4);
                for (int k = 0; k < copies; k++) {
                    int detCategory = random.below(10) == 0 ? 1 + random.below(3) : category;
                    double score = random.below(11) / 10.0;
                    RunLengthMask detMask = random.below(15) == 0
                            ? RunLengthMask.empty(width, height) : rasterize(jitter(shape), width, height);
                    dets.add(new DetectionMask(image, detCategory, detMask, score));
                }
            }
            boolean burst = heavy && random.below(3) == 0;
            int falsePositives = random.below(3) + (burst ? 240 : 0);
            for (int k = 0; k < falsePositives; k++) {
                int category = burst && random.below(2) == 0 ? 1 : 1 + random.below(3);
                RunLengthMask mask = rasterize(shape(width, height), width, height);
                dets.add(new DetectionMask(image, category, mask, random.below(101) / 100.0));
            }
        }
        return new Dataset(images, gts, dets);
    }

    /** Polygon vertices {@code x0, y0, x1, y1, ...} in whole pixels (pixel edges). */
    private int[] shape(int width, int height) {
        int[] bases = {2, 10, 50};
        int[] spreads = {6, 20, 80};
        int size = random.below(3);
        int radius = bases[size] + random.below(spreads[size]);
        int cx = random.below(width);
        int cy = random.below(height);
        int kind = random.below(3);
        if (kind == 0) {
            int rx = 1 + radius / 2 + random.below(radius / 2 + 1);
            int ry = 1 + radius / 2 + random.below(radius / 2 + 1);
            return new int[] {cx - rx, cy - ry, cx + rx, cy - ry, cx + rx, cy + ry, cx - rx, cy + ry};
        }
        int corners = kind == 1 ? 3 : 4;
        int[] vertices = new int[2 * corners];
        for (int v = 0; v < corners; v++) {
            vertices[2 * v] = cx + random.below(2 * radius + 1) - radius;
            vertices[2 * v + 1] = cy + random.below(2 * radius + 1) - radius;
        }
        return vertices;
    }

    private int[] jitter(int[] shape) {
        int dx = random.below(7) - 3;
        int dy = random.below(7) - 3;
        int[] moved = new int[shape.length];
        for (int v = 0; v < shape.length; v += 2) {
            moved[v] = shape[v] + dx + random.below(5) - 2;
            moved[v + 1] = shape[v + 1] + dy + random.below(5) - 2;
        }
        return moved;
    }

    /**
     * Even-odd rule at pixel centres, in doubled coordinates so everything is an integer: the
     * centre (2x + 1, 2y + 1) never lies on a vertex's row.
     */
    static RunLengthMask rasterize(int[] vertices, int width, int height) {
        boolean[] pixels = new boolean[width * height];
        int corners = vertices.length / 2;
        // a centre outside the vertices' bounding box is outside the polygon: scan only the box
        int left = width;
        int right = 0;
        int top = height;
        int bottom = 0;
        for (int v = 0; v < corners; v++) {
            left = Math.min(left, Math.max(0, vertices[2 * v]));
            right = Math.max(right, Math.min(width, vertices[2 * v]));
            top = Math.min(top, Math.max(0, vertices[2 * v + 1]));
            bottom = Math.max(bottom, Math.min(height, vertices[2 * v + 1]));
        }
        for (int y = top; y < bottom; y++) {
            long py = 2L * y + 1;
            for (int x = left; x < right; x++) {
                long px = 2L * x + 1;
                boolean inside = false;
                for (int a = 0, b = corners - 1; a < corners; b = a++) {
                    long ax = 2L * vertices[2 * a];
                    long ay = 2L * vertices[2 * a + 1];
                    long bx = 2L * vertices[2 * b];
                    long by = 2L * vertices[2 * b + 1];
                    if ((ay > py) != (by > py)) {
                        long den = by - ay;
                        long leftSide = (px - ax) * den;
                        long rightSide = (py - ay) * (bx - ax);
                        if (den > 0 ? leftSide < rightSide : leftSide > rightSide) {
                            inside = !inside;
                        }
                    }
                }
                pixels[y * width + x] = inside;
            }
        }
        return RunLengthMask.of(new BinaryMask(width, height, pixels));
    }
}
