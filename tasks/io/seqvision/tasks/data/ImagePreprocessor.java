package io.seqvision.tasks.data;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Turns images into the model's input: resized to a square side (aspect not kept: boxes are
 * normalised by the image's own width and height, so stretching costs no precision and uses every
 * input pixel), stored as planar RGB bytes, and normalised with ImageNet's mean and deviation
 * when batched.
 */
public final class ImagePreprocessor {

    private static final float[] MEAN = {0.485f, 0.456f, 0.406f};
    private static final float[] STD = {0.229f, 0.224f, 0.225f};

    private final int side;

    public ImagePreprocessor(int side) {
        if (side < 8) {
            throw new IllegalArgumentException("image side must be at least 8, got " + side);
        }
        this.side = side;
    }

    public int side() {
        return side;
    }

    /** The largest image {@link #read} decodes: a side, and pixels in all (about 300 MB decoded). */
    public static final int MAX_SIDE = 20_000;
    public static final long MAX_PIXELS = 100_000_000L;

    /**
     * Reads an image file; a file that is not a readable image, or whose header announces more
     * than {@link #MAX_SIDE} or {@link #MAX_PIXELS}, gives an error naming it (before decoding).
     */
    public static BufferedImage read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("image file not found: " + file);
        }
        try (javax.imageio.stream.ImageInputStream input = ImageIO.createImageInputStream(file.toFile())) {
            java.util.Iterator<javax.imageio.ImageReader> readers = input == null ? null : ImageIO.getImageReaders(input);
            if (readers == null || !readers.hasNext()) {
                throw new IllegalArgumentException("not a readable image (unknown format): " + file);
            }
            javax.imageio.ImageReader reader = readers.next();
            try {
                reader.setInput(input, true, true);
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                if (width > MAX_SIDE || height > MAX_SIDE || (long) width * height > MAX_PIXELS) {
                    throw new IllegalArgumentException("image " + file + " is " + width + "x" + height
                            + " px; images up to " + MAX_SIDE + " px a side and " + MAX_PIXELS
                            + " pixels in all are read: scale it down first");
                }
                return reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof IllegalArgumentException known && known.getMessage().contains(file.toString())) {
                throw known;
            }
            String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new IllegalArgumentException("cannot read image " + file + ": damaged or not an image (" + detail
                    + ")", e);
        }
    }

    /** Resizes to {@code side x side} and returns planar RGB bytes, length {@code 3 * side * side}. */
    public byte[] toPlanarRgb(BufferedImage image) {
        BufferedImage resized = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = resized.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(image, 0, 0, side, side, null);
        } finally {
            g.dispose();
        }
        int plane = side * side;
        int[] argb = resized.getRGB(0, 0, side, side, null, 0, side);
        byte[] planar = new byte[3 * plane];
        for (int i = 0; i < plane; i++) {
            int p = argb[i];
            planar[i] = (byte) (p >> 16);
            planar[plane + i] = (byte) (p >> 8);
            planar[2 * plane + i] = (byte) p;
        }
        return planar;
    }

    /**
     * Writes one normalised image into a batch buffer of shape (B, 3, side, side) at {@code
     * index}, mirrored left to right when {@code flip}.
     */
    public void normalizeInto(byte[] planar, boolean flip, float[] batch, int index) {
        int plane = side * side;
        int base = index * 3 * plane;
        for (int c = 0; c < 3; c++) {
            float scale = 1f / (255f * STD[c]);
            float shift = MEAN[c] / STD[c];
            int offset = c * plane;
            for (int y = 0; y < side; y++) {
                int row = offset + y * side;
                for (int x = 0; x < side; x++) {
                    int source = row + (flip ? side - 1 - x : x);
                    batch[base + row + x] = (planar[source] & 0xFF) * scale - shift;
                }
            }
        }
    }
}
