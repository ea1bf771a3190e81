package io.seqvision.tasks.storage;

import java.awt.image.RenderedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Images written as PNG, the one way the project does it: buffered in memory (ImageIO's default
 * output stream would first copy each image into a temporary file in {@code java.io.tmpdir}), and a
 * runtime without a PNG writer is an error rather than a silently empty file.
 */
public final class Png {

    private Png() {}

    /** Writes {@code image} to {@code target} atomically ({@link AtomicFiles#write}). */
    public static void write(Path target, RenderedImage image) {
        AtomicFiles.write(target, out -> write(image, out));
    }

    /** The PNG file's bytes. */
    public static byte[] bytes(RenderedImage image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            write(image, out);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a PNG: " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    private static void write(RenderedImage image, OutputStream out) throws IOException {
        try (ImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
            if (!ImageIO.write(image, "png", stream)) {
                throw new IOException("this Java runtime has no PNG writer");
            }
        }
    }
}
