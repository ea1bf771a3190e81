package io.seqvision.tasks.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageInputTest {

    private static final int SIDE = 16;

    private static BufferedImage randomImage(int width, int height, long seed) {
        Random random = new Random(seed);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, random.nextInt(1 << 24));
            }
        }
        return image;
    }

    /** (value / 255 - mean) / std in double, channel-planar, for an image already at the side. */
    private static double[] expected(BufferedImage image, float[] mean, float[] std) {
        int side = image.getWidth();
        double[] out = new double[3 * side * side];
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < side; y++) {
                for (int x = 0; x < side; x++) {
                    int value = (image.getRGB(x, y) >> (16 - 8 * c)) & 0xFF;
                    out[(c * side + y) * side + x] = (value / 255.0 - mean[c]) / std[c];
                }
            }
        }
        return out;
    }

    private static void assertClose(double[] expected, float[] actual) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-6, "value " + i);
        }
    }

    @Test
    void tensorMatchesPlainNormalisationWithImageNetAndGivenStatistics() {
        BufferedImage image = randomImage(SIDE, SIDE, 1);
        float[] mean = {0.5f, 0.25f, 0.75f};
        float[] std = {0.5f, 0.125f, 2f};
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray imageNet = ImageInput.imageNet(SIDE).toTensor(manager, List.of(image, image));
            assertEquals(new Shape(2, 3, SIDE, SIDE), imageNet.getShape());
            assertEquals(DataType.FLOAT32, imageNet.getDataType());
            float[] values = imageNet.get(1).toFloatArray();
            assertClose(expected(image, ImageInput.IMAGENET_MEAN, ImageInput.IMAGENET_STD), values);
            NDArray custom = new ImageInput(SIDE, mean, std).toTensor(manager, List.of(image));
            assertClose(expected(image, mean, std), custom.toFloatArray());
        }
    }

    @Test
    void resizedImageIsNormalisedFromItsResizedBytes() {
        BufferedImage image = randomImage(40, 24, 2);
        ImageInput input = ImageInput.imageNet(SIDE);
        byte[] planar = input.toPlanarRgb(image);
        BufferedImage resized = new BufferedImage(SIDE, SIDE, BufferedImage.TYPE_INT_RGB);
        int plane = SIDE * SIDE;
        for (int i = 0; i < plane; i++) {
            resized.setRGB(i % SIDE, i / SIDE,
                    ((planar[i] & 0xFF) << 16) | ((planar[plane + i] & 0xFF) << 8) | (planar[2 * plane + i] & 0xFF));
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            assertClose(expected(resized, ImageInput.IMAGENET_MEAN, ImageInput.IMAGENET_STD),
                    input.toTensor(manager, List.of(image)).toFloatArray());
        }
    }

    @Test
    void djlImagesFilesAndBufferedImagesGiveTheSameTensor(@TempDir Path dir) throws Exception {
        BufferedImage image = randomImage(SIDE, SIDE, 3);
        Path file = dir.resolve("image.png");
        ImageIO.write(image, "png", file.toFile());
        ImageInput input = ImageInput.imageNet(SIDE);
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] reference = input.toTensor(manager, List.of(image)).toFloatArray();
            assertArrayEquals(reference, input.filesToTensor(manager, List.of(file)).toFloatArray());
            Image wrapped = ImageFactory.getInstance().fromImage(image);
            assertArrayEquals(reference, input.toTensor(manager,
                    List.of(ImageInput.toBufferedImage(wrapped, manager))).toFloatArray());
            // an image DJL holds as an array, not a BufferedImage: copied pixel by pixel
            NDArray hwc = ImageFactory.getInstance().fromImage(image).toNDArray(manager, Image.Flag.COLOR);
            Image fromArray = ImageFactory.getInstance().fromNDArray(hwc);
            BufferedImage copied = ImageInput.toBufferedImage(fromArray, manager);
            assertArrayEquals(reference, input.toTensor(manager, List.of(copied)).toFloatArray());
        }
    }

    @Test
    void identityWindowEqualsWholeImageAndFlipMirrors() {
        ImageInput input = ImageInput.imageNet(SIDE);
        byte[] planar = input.toPlanarRgb(randomImage(SIDE, SIDE, 4));
        float[] whole = new float[3 * SIDE * SIDE];
        float[] window = new float[3 * SIDE * SIDE];
        input.normalizeInto(planar, false, whole, 0);
        input.windowInto(planar, ImageTransform.identity(false), window, 0);
        assertArrayEquals(whole, window);
        float[] flipped = new float[3 * SIDE * SIDE];
        input.normalizeInto(planar, true, flipped, 0);
        assertEquals(whole[SIDE - 1], flipped[0]);
        assertEquals(whole[2 * SIDE * SIDE + 5 * SIDE], flipped[2 * SIDE * SIDE + 5 * SIDE + SIDE - 1]);
    }

    @Test
    void badInputIsRefusedWithItsValue() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ImageInput.imageNet(4)).getMessage()
                .contains("4"));
        assertThrows(IllegalArgumentException.class,
                () -> new ImageInput(SIDE, new float[] {0.5f, 0.5f}, ImageInput.IMAGENET_STD));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new ImageInput(SIDE, ImageInput.IMAGENET_MEAN, new float[] {0.2f, 0f, 0.2f})).getMessage()
                .contains("std"));
        ImageInput input = ImageInput.imageNet(SIDE);
        assertThrows(IllegalArgumentException.class, () -> input.normalizeInto(new byte[10], false, new float[768], 0));
        assertThrows(IllegalArgumentException.class,
                () -> input.normalizeInto(new byte[3 * SIDE * SIDE], false, new float[768], 1));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ImageInput.read(Path.of("no-such.png")))
                .getMessage().contains("no-such.png"));
    }
}
