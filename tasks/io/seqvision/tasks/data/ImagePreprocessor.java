package io.seqvision.tasks.data;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Turns images into the model's input: resized to a square side (aspect not kept: boxes are
 * normalised by the image's own width and height, so stretching costs no precision and uses every
 * input pixel), stored as planar RGB bytes, and normalised per channel when batched ({@link
 * PixelNormalization}: the model config's, ImageNet's by default).
 */
public final class ImagePreprocessor {


    private final int side;
    private final PixelNormalization normalization;

    /** Normalising with ImageNet's statistics. */
    public ImagePreprocessor(int side) {
        this(side, PixelNormalization.IMAGENET);
    }

    public ImagePreprocessor(int side, PixelNormalization normalization) {
        if (side < 8) {
            throw new IllegalArgumentException("image side must be at least 8, got " + side);
        }
        this.side = side;
        this.normalization = normalization;
    }

    public int side() {
        return side;
    }

    /** Reads an image file; a file that is not a readable image gives an error naming it. */
    public static BufferedImage read(Path file) {
        try {
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("image file not found: " + file);
            }
            BufferedImage image = ImageIO.read(file.toFile());
            if (image == null) {
                throw new IllegalArgumentException("not a readable image (unknown format): " + file);
            }
            return image;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read image " + file + ": " + e.getMessage(), e);
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
            float scale = normalization.scale(c);
            float shift = normalization.shift(c);
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
