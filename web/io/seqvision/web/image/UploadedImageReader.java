package io.seqvision.web.image;

import io.seqvision.web.ApiException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Turns uploaded bytes into an image, refusing what should not be decoded: bytes that are no image
 * format ImageIO knows (415), images whose header announces more pixels than allowed (413, decided
 * from the header before a single pixel is decoded, so a small file claiming a huge image costs
 * nothing), and truncated or corrupt files (400; ImageIO merely warns on a JPEG cut short, and
 * such warnings count as corrupt here).
 */
public final class UploadedImageReader {

    private final int maxSide;
    private final long maxPixels;

    /**
     * @param maxSide largest width or height accepted
     * @param maxPixels largest width times height accepted
     */
    public UploadedImageReader(int maxSide, long maxPixels) {
        if (maxSide < 1 || maxPixels < 1) {
            throw new IllegalArgumentException("image limits must be positive, got side " + maxSide
                    + ", pixels " + maxPixels);
        }
        this.maxSide = maxSide;
        this.maxPixels = maxPixels;
    }

    /**
     * Decodes the first image in {@code bytes}.
     *
     * @throws ApiException 400 {@code empty_upload}, 415 {@code not_an_image}, 413 {@code
     *     image_too_large} or 400 {@code corrupt_image}, each saying why
     */
    public BufferedImage read(byte[] bytes) {
        if (bytes.length == 0) {
            throw ApiException.badRequest("empty_upload", "the upload is empty; send the bytes of a PNG, JPEG, GIF or BMP image");
        }
        // ImageIO's default stream caches what it reads in a temporary file: a file created and deleted
        // on disk for every upload, although the bytes are already in memory.
        try (ImageInputStream input = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(input);
            if (!readers.hasNext()) {
                throw new ApiException(415, "not_an_image", "the upload (" + bytes.length + " bytes, starting "
                        + leadingBytes(bytes) + ") is not an image format this server reads: PNG, JPEG, GIF or BMP");
            }
            ImageReader reader = readers.next();
            try {
                return decode(reader, input);
            } finally {
                reader.dispose();
            }
        } catch (IOException e) {
            throw new IllegalStateException("reading an in-memory upload failed: " + e.getMessage(), e);
        }
    }

    private BufferedImage decode(ImageReader reader, ImageInputStream input) {
        String format = format(reader);
        reader.setInput(input, true, true);
        int width;
        int height;
        try {
            width = reader.getWidth(0);
            height = reader.getHeight(0);
        } catch (IOException | RuntimeException e) {
            throw corrupt(format, "its header cannot be read", e);
        }
        if (width < 1 || height < 1) {
            throw corrupt(format, "its header gives a size of " + width + "x" + height + " px", null);
        }
        if (width > maxSide || height > maxSide || (long) width * height > maxPixels) {
            throw new ApiException(413, "image_too_large", "the " + format + " image is " + width + "x" + height
                    + " px; the limit is " + maxSide + " px a side and " + maxPixels + " pixels in all");
        }
        List<String> warnings = new ArrayList<>();
        reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
        BufferedImage image;
        try {
            image = reader.read(0);
        } catch (IOException | RuntimeException e) {
            throw corrupt(format, "its pixels cannot be decoded", e);
        }
        if (!warnings.isEmpty()) {
            throw corrupt(format, "the decoder reported: " + String.join("; ", warnings), null);
        }
        return image;
    }

    private static ApiException corrupt(String format, String why, Exception cause) {
        String detail = cause == null || cause.getMessage() == null ? "" : " (" + cause.getMessage() + ")";
        return ApiException.badRequest("corrupt_image",
                "the upload looks like a " + format + " image but is truncated or corrupt: " + why + detail);
    }

    private static String format(ImageReader reader) {
        try {
            return reader.getFormatName().toUpperCase(Locale.ROOT);
        } catch (IOException e) {
            return "image";
        }
    }

    private static String leadingBytes(byte[] bytes) {
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < Math.min(8, bytes.length); i++) {
            hex.append(String.format("%02x", bytes[i] & 0xff));
        }
        return "0x" + hex;
    }
}
