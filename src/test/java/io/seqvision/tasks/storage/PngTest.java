package io.seqvision.tasks.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PngTest {

    private static BufferedImage pattern() {
        BufferedImage image = new BufferedImage(37, 23, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 23; y++) {
            for (int x = 0; x < 37; x++) {
                image.setRGB(x, y, (x * 7 << 16) | (y * 11 << 8) | ((x + y) * 3));
            }
        }
        return image;
    }

    private static int[] pixels(BufferedImage image) {
        return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    }

    @Test
    void aWrittenFileAndTheBytesReadBackPixelForPixel(@TempDir Path dir) throws Exception {
        BufferedImage image = pattern();
        Path file = dir.resolve("sub/pattern.png");
        Png.write(file, image);
        assertArrayEquals(pixels(image), pixels(ImageIO.read(file.toFile())));
        try (Stream<Path> siblings = Files.list(file.getParent())) {
            assertEquals(1, siblings.count(), "no temporary sibling left behind");
        }
        byte[] bytes = Png.bytes(image);
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(bytes, 4));
        assertArrayEquals(pixels(image), pixels(ImageIO.read(new ByteArrayInputStream(bytes))));
    }

    /** ImageIO's default output stream would first copy the image into a file in its cache directory. */
    @Test
    void encodingMakesNoTemporaryFile() throws Exception {
        assertEquals(List.of(), ImageIoTempFiles.createdDuring(() -> Png.bytes(pattern())));
    }
}
