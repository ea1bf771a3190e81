package io.seqvision.web.controller;

import io.javalin.http.Context;
import io.javalin.http.UploadedFile;
import io.seqvision.web.ApiException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Reads an uploaded image's bytes, either the raw request body ({@code Content-Type: image/png} and
 * the like) or the {@code image} field of a {@code multipart/form-data} form, never more than the
 * upload cap: a declared length over it is refused before reading, and a body that turns out
 * longer is cut off at the cap.
 */
final class UploadBody {

    static final String FORM_FIELD = "image";

    private UploadBody() {}

    static byte[] read(Context ctx, long maxBytes) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxBytes) {
            // A body left unread makes the server close while the client still sends, and the client
            // may then see a reset instead of this answer; a body up to twice the cap is read and
            // dropped first so the answer arrives. Larger ones are not worth reading.
            if (declared <= 2 * maxBytes) {
                discard(ctx, declared);
            }
            throw tooLarge(declared + " bytes", maxBytes);
        }
        if (ctx.isMultipartFormData()) {
            UploadedFile file;
            try {
                file = ctx.uploadedFile(FORM_FIELD);
            } catch (Exception e) { // Jetty's ServletException arrives unchecked, through Kotlin
                String why = rootMessage(e);
                if (e instanceof IllegalStateException && why.toLowerCase(java.util.Locale.ROOT).contains("exceed")) {
                    throw tooLarge("over the limit", maxBytes);
                }
                throw ApiException.badRequest("malformed_form", "the multipart form cannot be parsed (" + why
                        + "); send the image as the '" + FORM_FIELD + "' field of a multipart/form-data form or as"
                        + " the raw body");
            }
            if (file == null) {
                throw ApiException.badRequest("no_image", "the form has no file field named '" + FORM_FIELD + "'");
            }
            try (InputStream in = file.content()) {
                return readAtMost(in, maxBytes, false);
            } catch (IOException e) {
                throw ApiException.badRequest("broken_upload", "the form field could not be read: " + e.getMessage());
            }
        }
        try (InputStream in = ctx.bodyInputStream()) {
            return readAtMost(in, maxBytes, declared < 0);
        } catch (IOException e) {
            throw ApiException.badRequest("broken_upload", "the upload could not be read to its end: " + e.getMessage());
        }
    }

    private static void discard(Context ctx, long bytes) {
        try (InputStream in = ctx.bodyInputStream()) {
            drop(in, bytes);
        } catch (IOException e) {
            // the client went away or sent less than it declared: nothing left to answer properly
        }
    }

    /** Reads and drops up to {@code bytes} bytes, fewer if the stream ends first. */
    private static void drop(InputStream in, long bytes) throws IOException {
        byte[] sink = new byte[8192];
        long left = bytes;
        int read;
        while (left > 0 && (read = in.read(sink, 0, (int) Math.min(sink.length, left))) >= 0) {
            left -= read;
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    /**
     * @param undeclared the body's length was not declared: one found over the cap is then read on
     *     up to twice the cap and dropped, as a declared one is, so that the answer arrives
     */
    private static byte[] readAtMost(InputStream in, long maxBytes, boolean undeclared) throws IOException {
        byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
        if (bytes.length > maxBytes) {
            if (undeclared) {
                drop(in, maxBytes - 1);
            }
            throw tooLarge("more than " + maxBytes + " bytes", maxBytes);
        }
        return bytes;
    }

    private static ApiException tooLarge(String size, long maxBytes) {
        return new ApiException(413, "upload_too_large", "the upload is " + size + "; the limit is " + maxBytes + " bytes");
    }
}
