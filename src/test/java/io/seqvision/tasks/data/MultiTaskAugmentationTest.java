package io.seqvision.tasks.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqvision.tokenizers.BinaryMask;
import io.seqvision.tokenizers.CocoKeypoints;
import io.seqvision.tokenizers.Keypoint;
import io.seqvision.tokenizers.NormalizedPolygon;
import io.seqvision.tokenizers.PolygonRasterizer;
import io.seqvision.tokenizers.TokenBox;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MultiTaskAugmentationTest {

    private static final int SIDE = 48;
    private static final int PLANE = SIDE * SIDE;

    private static MultiTaskExample example(byte[] pixels, List<AnnotatedObject> objects, String... captions) {
        return new MultiTaskExample(1, 200, 100, pixels, objects, List.of(captions));
    }

    private static List<Keypoint> person(Random random) {
        List<Keypoint> points = new ArrayList<>();
        for (int i = 0; i < CocoKeypoints.COUNT; i++) {
            points.add(i % 5 == 4 ? Keypoint.UNLABELLED
                    : new Keypoint(0.2 + 0.5 * random.nextDouble(), 0.2 + 0.6 * random.nextDouble(), 1 + i % 2));
        }
        return points;
    }

    private static AnnotatedObject triangle() {
        NormalizedPolygon polygon = new NormalizedPolygon(new double[] {0.25, 0.2, 0.75, 0.35, 0.3, 0.8});
        return new AnnotatedObject(new TokenBox(0.2, 0.25, 0.8, 0.75, 2), List.of(polygon), List.of(), 500);
    }

    private static byte[] randomPixels(Random random) {
        byte[] pixels = new byte[3 * PLANE];
        random.nextBytes(pixels);
        return pixels;
    }

    @Test
    void scaleOneWithoutFlipIsExactlyNormalizeInto() {
        Random random = new Random(1);
        byte[] pixels = randomPixels(random);
        MultiTaskExample example = example(pixels, List.of(triangle(),
                new AnnotatedObject(new TokenBox(0, 0, 1, 1, 0), List.of(), person(random), 12)), "a cat on the left");
        ImageInput preprocessor = ImageInput.imageNet(SIDE);
        for (boolean flip : new boolean[] {false, true}) {
            float[] expected = new float[2 * 3 * PLANE];
            preprocessor.normalizeInto(pixels, flip, expected, 1);
            float[] actual = new float[2 * 3 * PLANE];
            MultiTaskAugmentation augmentation = new MultiTaskAugmentation(ImageInput.imageNet(SIDE), AugmentationOptions.none());
            AugmentedTargets targets = augmentation.apply(example, ImageTransform.identity(flip), actual, 1);
            assertArrayEquals(expected, actual, "flip " + flip);
            if (!flip) {
                assertEquals(example.objects(), targets.objects());
                assertEquals(example.captions(), targets.captions());
            }
        }
        // the sampled path with scale 1 and no flip, whatever the random draws
        float[] expected = new float[3 * PLANE];
        preprocessor.normalizeInto(pixels, false, expected, 0);
        float[] actual = new float[3 * PLANE];
        AugmentedTargets targets = new MultiTaskAugmentation(ImageInput.imageNet(SIDE), AugmentationOptions.none())
                .apply(example, new Random(99), actual, 0);
        assertArrayEquals(expected, actual);
        assertEquals(example.objects(), targets.objects());
    }

    @Test
    void flippingTwiceRestoresTheTargets() {
        Random random = new Random(2);
        MultiTaskExample example = example(randomPixels(random), List.of(triangle(),
                new AnnotatedObject(new TokenBox(0.1, 0.15, 0.9, 0.8, 4), List.of(), person(random), 321)),
                "a red star left of a person", "Left and RIGHT, leftover words stay");
        MultiTaskAugmentation augmentation = new MultiTaskAugmentation(ImageInput.imageNet(SIDE), AugmentationOptions.flipOnly());
        float[] batch = new float[3 * PLANE];
        AugmentedTargets once = augmentation.apply(example, ImageTransform.identity(true), batch, 0);
        assertEquals(List.of("a red star right of a person", "Right and LEFT, leftover words stay"), once.captions());
        AnnotatedObject flippedPerson = once.objects().get(1);
        Keypoint leftElbow = example.objects().get(1).keypoints().get(CocoKeypoints.indexOf("left_elbow"));
        assertTrue(leftElbow.labelled());
        assertEquals(1 - leftElbow.x(), flippedPerson.keypoints().get(CocoKeypoints.indexOf("right_elbow")).x(), 1e-15,
                "the mirrored left elbow is the right elbow now");
        MultiTaskExample onceExample = example(example.pixels(), once.objects(), once.captions().toArray(String[]::new));
        AugmentedTargets twice = augmentation.apply(onceExample, ImageTransform.identity(true), batch, 0);
        assertEquals(example.captions(), twice.captions());
        assertEquals(example.objects().size(), twice.objects().size());
        for (int o = 0; o < example.objects().size(); o++) {
            AnnotatedObject before = example.objects().get(o);
            AnnotatedObject after = twice.objects().get(o);
            assertClose(before.box(), after.box());
            assertEquals(before.area(), after.area(), 1e-9);
            assertEquals(before.polygons().size(), after.polygons().size());
            for (int p = 0; p < before.polygons().size(); p++) {
                assertArrayEquals(before.polygons().get(p).xy(), after.polygons().get(p).xy(), 1e-15);
            }
            for (int k = 0; k < before.keypoints().size(); k++) {
                Keypoint a = before.keypoints().get(k);
                Keypoint b = after.keypoints().get(k);
                assertEquals(a.visibility(), b.visibility());
                assertEquals(a.x(), b.x(), 1e-15);
                assertEquals(a.y(), b.y(), 1e-15);
            }
        }
        assertNotEquals(example.objects().get(0).polygons(), once.objects().get(0).polygons(), "one flip moves it");
    }

    private static void assertClose(TokenBox expected, TokenBox actual) {
        assertArrayEquals(new double[] {expected.ymin(), expected.xmin(), expected.ymax(), expected.xmax()},
                new double[] {actual.ymin(), actual.xmin(), actual.ymax(), actual.xmax()}, 1e-15);
        assertEquals(expected.classIndex(), actual.classIndex());
    }

    @Test
    void aBrightPixelLandsWhereItsKeypointGoes() {
        Random random = new Random(3);
        int wrist = CocoKeypoints.indexOf("left_wrist");
        AugmentationOptions options = new AugmentationOptions(1, 2.5, true);
        MultiTaskAugmentation augmentation = new MultiTaskAugmentation(ImageInput.imageNet(SIDE), options);
        int checked = 0;
        for (int trial = 0; trial < 40; trial++) {
            int px = 8 + random.nextInt(SIDE - 16);
            int py = 8 + random.nextInt(SIDE - 16);
            byte[] pixels = new byte[3 * PLANE];
            for (int c = 0; c < 3; c++) {
                pixels[c * PLANE + py * SIDE + px] = (byte) 255;
            }
            List<Keypoint> points = new ArrayList<>(Collections.nCopies(CocoKeypoints.COUNT, Keypoint.UNLABELLED));
            points.set(wrist, new Keypoint((px + 0.5) / SIDE, (py + 0.5) / SIDE, 2));
            AnnotatedObject object = new AnnotatedObject(new TokenBox(0, 0, 1, 1, 0), List.of(), points, 1);
            float[] batch = new float[3 * PLANE];
            AugmentedTargets targets = augmentation.apply(example(pixels, List.of(object)), random, batch, 0);
            List<Keypoint> moved = targets.objects().get(0).keypoints();
            int index = targets.transform().flip() ? CocoKeypoints.flipPermutation()[wrist] : wrist;
            Keypoint k = moved.get(index);
            // the blob is the source pixel's bilinear tent, half-width scale output pixels; scale >= 1 never pads,
            // so every other pixel is exactly the normalised 0 byte
            ImageTransform t = targets.transform();
            double background = -0.485f / 0.229f;
            double sum = 0;
            double sx = 0;
            double sy = 0;
            for (int y = 0; y < SIDE; y++) {
                for (int x = 0; x < SIDE; x++) {
                    double w = batch[y * SIDE + x] - background;
                    assertTrue(w > -1e-5, "nothing darker than the background");
                    sum += w;
                    sx += w * (x + 0.5);
                    sy += w * (y + 0.5);
                }
            }
            // where the pixel centre goes, by the transform's formula
            double ex = (px + 0.5) * t.scale() - t.offsetX();
            double ey = (py + 0.5) * t.scale() - t.offsetY();
            ex = t.flip() ? SIDE - ex : ex;
            double margin = Math.min(Math.min(ex, SIDE - ex), Math.min(ey, SIDE - ey));
            assertEquals(margin >= 0, k.labelled(), "labelled exactly when inside, trial " + trial);
            if (margin < -t.scale()) {
                assertEquals(0, sum, 1e-3, "the pixel left the window, trial " + trial);
            }
            if (margin <= t.scale() + 1) {
                continue; // the blob is cut by the window's edge
            }
            checked++;
            assertEquals(ex / SIDE, k.x(), 1e-12);
            assertEquals(ey / SIDE, k.y(), 1e-12);
            assertEquals(k.x() * SIDE, sx / sum, 0.25, "x, trial " + trial + " " + t);
            assertEquals(k.y() * SIDE, sy / sum, 0.25, "y, trial " + trial + " " + t);
            for (int i = 0; i < CocoKeypoints.COUNT; i++) {
                assertEquals(i == index, moved.get(i).labelled());
            }
        }
        assertTrue(checked >= 15, "enough trials with the whole blob inside: " + checked);
    }

    @Test
    void boxesAndPolygonsFollowTheImageContent() {
        Random random = new Random(4);
        AnnotatedObject object = triangle();
        BinaryMask mask = PolygonRasterizer.rasterize(object.polygons(), SIDE, SIDE);
        byte[] pixels = new byte[3 * PLANE];
        for (int i = 0; i < PLANE; i++) {
            if (mask.pixels()[i]) {
                for (int c = 0; c < 3; c++) {
                    pixels[c * PLANE + i] = (byte) 255;
                }
            }
        }
        MultiTaskAugmentation augmentation = new MultiTaskAugmentation(ImageInput.imageNet(SIDE), new AugmentationOptions(0.6, 2, true));
        int kept = 0;
        double worst = 1;
        for (int trial = 0; trial < 60; trial++) {
            float[] batch = new float[3 * PLANE];
            AugmentedTargets targets = augmentation.apply(example(pixels, List.of(object)), random, batch, 0);
            boolean[] bright = new boolean[PLANE];
            int brightCount = 0;
            int minX = SIDE;
            int minY = SIDE;
            int maxX = -1;
            int maxY = -1;
            for (int i = 0; i < PLANE; i++) {
                bright[i] = batch[i] > 0.1; // between background (-2.1) and the shape (2.2); padding is 0
                if (bright[i]) {
                    brightCount++;
                    minX = Math.min(minX, i % SIDE);
                    maxX = Math.max(maxX, i % SIDE);
                    minY = Math.min(minY, i / SIDE);
                    maxY = Math.max(maxY, i / SIDE);
                }
            }
            if (targets.objects().isEmpty()) {
                assertTrue(brightCount <= 3, "dropped but " + brightCount + " bright pixels, trial " + trial);
                continue;
            }
            kept++;
            AnnotatedObject moved = targets.objects().get(0);
            BinaryMask expected = PolygonRasterizer.rasterize(moved.polygons(), SIDE, SIDE);
            double iou = expected.iou(new BinaryMask(SIDE, SIDE, bright));
            worst = Math.min(worst, iou);
            assertTrue(iou > 0.8 || expected.area() < 20, "trial " + trial + ": IoU " + iou + " " + targets.transform());
            // the box holds the visible part of the shape, within a pixel of blur
            TokenBox box = moved.box();
            assertTrue(minX >= box.xmin() * SIDE - 1.5 && maxX + 1 <= box.xmax() * SIDE + 1.5
                    && minY >= box.ymin() * SIDE - 1.5 && maxY + 1 <= box.ymax() * SIDE + 1.5,
                    "trial " + trial + ": bright [" + minX + ", " + minY + ", " + maxX + ", " + maxY + "] box " + box);
        }
        assertTrue(kept >= 40, "kept " + kept);
        assertTrue(worst < 1, "resampling blurs some edge");
    }

    @Test
    void objectsOutsideTheWindowAreDroppedAndKeypointsUnlabelled() {
        Random random = new Random(5);
        AnnotatedObject topLeft = new AnnotatedObject(new TokenBox(0.05, 0.05, 0.2, 0.2, 1),
                List.of(new NormalizedPolygon(new double[] {0.05, 0.05, 0.2, 0.05, 0.2, 0.2})), List.of(), 50);
        AnnotatedObject person = new AnnotatedObject(new TokenBox(0.3, 0.3, 0.9, 0.9, 0), List.of(),
                person(random), 100);
        // scale 2, window on the bottom-right quarter of the canvas: source (0.5..1, 0.5..1)
        ImageTransform zoom = new ImageTransform(2, SIDE, SIDE, false);
        AugmentedTargets targets = new MultiTaskAugmentation(ImageInput.imageNet(SIDE), AugmentationOptions.none())
                .apply(example(randomPixels(random), List.of(topLeft, person)), zoom, new float[3 * PLANE], 0);
        assertEquals(1, targets.objects().size(), "the top-left object is outside");
        AnnotatedObject moved = targets.objects().get(0);
        assertClose(new TokenBox(0, 0, 0.8, 0.8, 0), moved.box());
        assertEquals(100 * 4 * (0.8 * 0.8) / (1.2 * 1.2), moved.area(), 1e-9);
        for (int i = 0; i < CocoKeypoints.COUNT; i++) {
            Keypoint before = person.keypoints().get(i);
            Keypoint after = moved.keypoints().get(i);
            boolean inside = before.labelled() && before.x() >= 0.5 && before.y() >= 0.5;
            assertEquals(inside, after.labelled(), "keypoint " + i);
            if (inside) {
                assertEquals(2 * before.x() - 1, after.x(), 1e-12);
                assertEquals(before.visibility(), after.visibility());
            }
        }
    }

    @Test
    void polygonsAreClippedToTheWindow() {
        // a square 0.4..0.8 zoomed by 2 around the centre: window shows source 0.25..0.75
        AnnotatedObject square = new AnnotatedObject(new TokenBox(0.4, 0.4, 0.8, 0.8, 0),
                List.of(new NormalizedPolygon(new double[] {0.4, 0.4, 0.8, 0.4, 0.8, 0.8, 0.4, 0.8})), List.of(), 10);
        ImageTransform zoom = new ImageTransform(2, SIDE / 2.0, SIDE / 2.0, false);
        AugmentedTargets targets = new MultiTaskAugmentation(ImageInput.imageNet(SIDE), AugmentationOptions.none())
                .apply(example(new byte[3 * PLANE], List.of(square)), zoom, new float[3 * PLANE], 0);
        NormalizedPolygon clipped = targets.objects().get(0).polygons().get(0);
        assertEquals(0.7 * 0.7, clipped.area(), 1e-12, "the part 0.3..1 x 0.3..1 of the window");
        for (int i = 0; i < clipped.pointCount(); i++) {
            assertTrue(clipped.x(i) >= 0.3 - 1e-12 && clipped.x(i) <= 1 && clipped.y(i) >= 0.3 - 1e-12);
        }
        assertClose(new TokenBox(0.3, 0.3, 1, 1, 0), targets.objects().get(0).box());
    }

    @Test
    void sameSeedSameResultAndOptionsAreValidated() {
        Random random = new Random(6);
        MultiTaskExample example = example(randomPixels(random), List.of(triangle()), "x");
        MultiTaskAugmentation augmentation = new MultiTaskAugmentation(ImageInput.imageNet(SIDE), AugmentationOptions.largeScaleJitter());
        float[] a = new float[3 * PLANE];
        float[] b = new float[3 * PLANE];
        AugmentedTargets ta = augmentation.apply(example, new Random(42), a, 0);
        AugmentedTargets tb = augmentation.apply(example, new Random(42), b, 0);
        assertArrayEquals(a, b);
        assertEquals(ta, tb);
        AugmentedTargets tc = augmentation.apply(example, new Random(43), b, 0);
        assertNotEquals(ta.transform(), tc.transform());
        // the draws are three doubles and a boolean whatever the options
        Random r1 = new Random(7);
        Random r2 = new Random(7);
        ImageTransform.sample(AugmentationOptions.none(), SIDE, r1);
        ImageTransform.sample(AugmentationOptions.largeScaleJitter(), SIDE, r2);
        assertEquals(r1.nextLong(), r2.nextLong());

        assertThrows(IllegalArgumentException.class, () -> new AugmentationOptions(0, 1, true));
        assertThrows(IllegalArgumentException.class, () -> new AugmentationOptions(1.5, 1, true));
        assertThrows(IllegalArgumentException.class, () -> new AugmentationOptions(1, Double.NaN, true));
        assertThrows(IllegalArgumentException.class, () -> new AugmentationOptions(1, 9, true));
        assertThrows(IllegalArgumentException.class, () -> augmentation.apply(example, new Random(1), new float[10], 0));
        assertThrows(IllegalArgumentException.class,
                () -> new MultiTaskAugmentation(ImageInput.imageNet(SIDE + 1), AugmentationOptions.none()).apply(example, new Random(1),
                        new float[3 * (SIDE + 1) * (SIDE + 1)], 0));
    }
}
