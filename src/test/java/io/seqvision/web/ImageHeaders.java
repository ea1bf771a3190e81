package io.seqvision.web;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/** Hand-made image headers for the size checks. */
public final class ImageHeaders {

    private ImageHeaders() {}

    /**
     * A PNG of only its signature and a valid IHDR chunk announcing {@code width x height} RGB
     * pixels, no pixel data: a decoder that trusted the header would allocate width x height x 3
     * bytes before noticing.
     */
    public static byte[] pngHeaderOnly(int width, int height) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
            ByteArrayOutputStream chunk = new ByteArrayOutputStream();
            DataOutputStream data = new DataOutputStream(chunk);
            data.write("IHDR".getBytes(StandardCharsets.US_ASCII));
            data.writeInt(width);
            data.writeInt(height);
            data.write(new byte[] {8, 2, 0, 0, 0}); // 8-bit RGB, deflate, no filter, no interlace
            byte[] typeAndData = chunk.toByteArray();
            out.writeInt(typeAndData.length - 4);
            out.write(typeAndData);
            CRC32 crc = new CRC32();
            crc.update(typeAndData);
            out.writeInt((int) crc.getValue());
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
