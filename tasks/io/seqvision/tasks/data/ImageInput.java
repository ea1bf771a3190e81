package io.seqvision.tasks.data;

import ai.djl.modality.cv.Image;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * The one way images become the model's input, for training, inference, the DJL translators, the
 * receptive-field tool and the web: a {@link BufferedImage}, a DJL {@link Image} or a file is
 * resized to a square side (aspect not kept: results are normalised by the image's own width and
 * height, so stretching costs no precision and uses every input pixel), kept as planar RGB bytes
 * ({@code 3 x side x side}), and written normalised, {@code (value / 255 - mean[c]) / std[c]}, into
 * a batch of shape {@code (B, 3, side, side)}, either whole or through an {@link ImageTransform}
 * window (training's scale jitter and flip, inference's per-object crops).
 *
 * <p>Mean and deviation come from the model ({@code ModelBundle.imageInput}); {@link #imageNet}
 * gives ImageNet's. Immutable and thread-safe.
 */
public final class ImageInput {

    /** ImageNet's per-channel mean of RGB values in [0, 1]. */
    public static final float[] IMAGENET_MEAN = {0.485f, 0.456f, 0.406f};
    /** ImageNet's per-channel standard deviation of RGB values in [0, 1]. */
    public static final float[] IMAGENET_STD = {0.229f, 0.224f, 0.225f};

    private final int side;
    private final float[] mean;
    private final float[] std;
    private final float[] scale;
    private final float[] shift;

    /**
     * @param side the square side images are resized to, at least 8
     * @param mean per-channel (R, G, B) mean of values in [0, 1]
     * @param std  per-channel (R, G, B) standard deviation, positive
     */
    public ImageInput(int side, float[] mean, float[] std) {
        if (side < 8) {
            throw new IllegalArgumentException("image side must be at least 8, got " + side);
        }
        if (mean == null || mean.length != 3 || std == null || std.length != 3) {
            throw new IllegalArgumentException("image mean and std need 3 values (R, G, B), got "
                    + Arrays.toString(mean) + " and " + Arrays.toString(std));
        }
        for (int c = 0; c < 3; c++) {
            if (!(std[c] > 0) || !Float.isFinite(std[c]) || !Float.isFinite(mean[c])) {
                throw new IllegalArgumentException("image std must be positive and mean finite, got mean "
                        + Arrays.toString(mean) + ", std " + Arrays.toString(std));
            }
        }
        this.side = side;
        this.mean = mean.clone();
        this.std = std.clone();
        this.scale = new float[3];
        this.shift = new float[3];
        for (int c = 0; c < 3; c++) {
            scale[c] = 1f / (255f * std[c]);
            shift[c] = mean[c] / std[c];
        }
    }

    /** Normalised with {@code normalization}'s mean and deviation (a model config's: {@link PixelNormalization#of}). */
    public ImageInput(int side, PixelNormalization normalization) {
        this(side, normalization.mean(), normalization.std());
    }

    /** Normalised with ImageNet's mean and deviation. */
    public static ImageInput imageNet(int side) {
        return new ImageInput(side, IMAGENET_MEAN, IMAGENET_STD);
    }

    public int side() {
        return side;
    }

    public float[] mean() {
        return mean.clone();
    }

    public float[] std() {
        return std.clone();
    }

    /** The per-channel normalisation, as a {@link PixelNormalization}. */
    public PixelNormalization normalization() {
        return new PixelNormalization(mean, std);
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
        try (ImageInputStream input = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = input == null ? null : ImageIO.getImageReaders(input);
            if (readers == null || !readers.hasNext()) {
                throw new IllegalArgumentException("not a readable image (unknown format): " + file);
            }
            ImageReader reader = readers.next();
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
            if (e instanceof IllegalArgumentException known && known.getMessage() != null
                    && known.getMessage().contains(file.toString())) {
                throw known;
            }
            String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new IllegalArgumentException("cannot read image " + file + ": damaged or not an image (" + detail
                    + ")", e);
        }
    }

    /** A DJL image as a {@link BufferedImage}: DJL's default image factory wraps one; others are copied. */
    public static BufferedImage toBufferedImage(Image image, NDManager manager) {
        if (image.getWrappedImage() instanceof BufferedImage buffered) {
            return buffered;
        }
        int width = image.getWidth();
        int height = image.getHeight();
        int[] rgb;
        try (NDManager scratch = manager.newSubManager()) {
            rgb = image.toNDArray(scratch, Image.Flag.COLOR).toType(DataType.INT32, false).toIntArray();
        }
        BufferedImage copy = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int i = 3 * (y * width + x);
                copy.setRGB(x, y, (rgb[i] << 16) | (rgb[i + 1] << 8) | rgb[i + 2]);
            }
        }
        return copy;
    }

    /** Resizes to {@code side x side} (bilinear) and returns planar RGB bytes, length {@code 3 * side * side}. */
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
        // The pixels as stored (0x00RRGGBB, rows of exactly `side`): getRGB would convert each one
        // through the colour model to the same value with alpha added.
        int[] rgb = ((DataBufferInt) resized.getRaster().getDataBuffer()).getData();
        byte[] planar = new byte[3 * plane];
        for (int i = 0; i < plane; i++) {
            int p = rgb[i];
            planar[i] = (byte) (p >> 16);
            planar[plane + i] = (byte) (p >> 8);
            planar[2 * plane + i] = (byte) p;
        }
        return planar;
    }

    /**
     * The normalised batch {@code (B, 3, side, side)} float32 of {@code images}, resized, in
     * {@code manager}.
     */
    public NDArray toTensor(NDManager manager, List<BufferedImage> images) {
        float[] batch = new float[images.size() * 3 * side * side];
        for (int i = 0; i < images.size(); i++) {
            normalizeInto(toPlanarRgb(images.get(i)), false, batch, i);
        }
        return manager.create(batch, new Shape(images.size(), 3, side, side));
    }

    /** As {@link #toTensor(NDManager, List)} for image files, read with {@link #read}. */
    public NDArray filesToTensor(NDManager manager, List<Path> files) {
        return toTensor(manager, files.stream().map(ImageInput::read).toList());
    }

    /** As {@link #toTensor(NDManager, List)} for images already resized to planar bytes ({@link #toPlanarRgb}). */
    public NDArray planarToTensor(NDManager manager, List<byte[]> planar) {
        float[] batch = new float[planar.size() * 3 * side * side];
        for (int i = 0; i < planar.size(); i++) {
            normalizeInto(planar.get(i), false, batch, i);
        }
        return manager.create(batch, new Shape(planar.size(), 3, side, side));
    }

    /**
     * Writes one normalised image into a batch buffer of shape (B, 3, side, side) at {@code
     * index}, mirrored left to right when {@code flip}.
     */
    public void normalizeInto(byte[] planar, boolean flip, float[] batch, int index) {
        checkPlanar(planar);
        checkIndex(batch, index);
        int plane = side * side;
        int base = index * 3 * plane;
        for (int c = 0; c < 3; c++) {
            float channelScale = scale[c];
            float channelShift = shift[c];
            int offset = c * plane;
            for (int y = 0; y < side; y++) {
                int row = offset + y * side;
                for (int x = 0; x < side; x++) {
                    int source = row + (flip ? side - 1 - x : x);
                    batch[base + row + x] = (planar[source] & 0xFF) * channelScale - channelShift;
                }
            }
        }
    }

    /**
     * Writes the window {@code transform} cuts from one image (scale, offset, flip) into a batch
     * buffer of shape (B, 3, side, side) at {@code index}, resampled bilinearly (edge pixels
     * repeated up to the image's border) and normalised; where the scaled image does not cover
     * the window the value is 0 after normalisation (the mean colour). The identity transform
     * gives exactly {@link #normalizeInto}'s values. Downscaling samples without low-pass
     * filtering (slight aliasing below scale 0.5).
     */
    public void windowInto(byte[] planar, ImageTransform transform, float[] batch, int index) {
        checkPlanar(planar);
        checkIndex(batch, index);
        int plane = side * side;
        int[] x0 = new int[side];
        int[] x1 = new int[side];
        float[] fx = new float[side];
        boolean[] insideX = new boolean[side];
        for (int j = 0; j < side; j++) {
            insideX[j] = taps(transform.sourceX(j, side), j, x0, x1, fx);
        }
        int[] y0 = new int[side];
        int[] y1 = new int[side];
        float[] fy = new float[side];
        boolean[] insideY = new boolean[side];
        for (int i = 0; i < side; i++) {
            insideY[i] = taps(transform.sourceY(i), i, y0, y1, fy);
        }
        int base = index * 3 * plane;
        for (int c = 0; c < 3; c++) {
            float channelScale = scale[c];
            float channelShift = shift[c];
            int offset = c * plane;
            for (int i = 0; i < side; i++) {
                int out = base + offset + i * side;
                if (!insideY[i]) {
                    Arrays.fill(batch, out, out + side, 0f);
                    continue;
                }
                int top = offset + y0[i] * side;
                int bottom = offset + y1[i] * side;
                float wy = fy[i];
                for (int j = 0; j < side; j++) {
                    if (!insideX[j]) {
                        batch[out + j] = 0f;
                        continue;
                    }
                    float a = planar[top + x0[j]] & 0xFF;
                    float b = planar[top + x1[j]] & 0xFF;
                    float d = planar[bottom + x0[j]] & 0xFF;
                    float e = planar[bottom + x1[j]] & 0xFF;
                    float upper = a + fx[j] * (b - a);
                    float lower = d + fx[j] * (e - d);
                    float value = upper + wy * (lower - upper);
                    batch[out + j] = value * channelScale - channelShift;
                }
            }
        }
    }

    /**
     * The two source pixels and the weight of the second for a sample at source position {@code
     * position} (pixel centres at {@code k + 0.5}); false when it lies outside the image.
     */
    private boolean taps(double position, int at, int[] first, int[] second, float[] weight) {
        if (position < 0 || position > side) {
            return false;
        }
        double centre = position - 0.5;
        int k = (int) Math.floor(centre);
        first[at] = Math.max(0, Math.min(side - 1, k));
        second[at] = Math.max(0, Math.min(side - 1, k + 1));
        weight[at] = (float) (centre - k);
        return true;
    }

    private void checkPlanar(byte[] planar) {
        if (planar.length != 3 * side * side) {
            throw new IllegalArgumentException("image has " + planar.length + " bytes, expected 3 x " + side + " x "
                    + side);
        }
    }

    private void checkIndex(float[] batch, int index) {
        if (index < 0 || (long) (index + 1) * 3 * side * side > batch.length) {
            throw new IllegalArgumentException("batch of " + batch.length + " floats has no image " + index
                    + " of 3 x " + side + " x " + side);
        }
    }
}
