package io.seqvision.web.api;

/**
 * What the server accepts, as {@code GET /api/model} reports it. An out-of-range value is refused
 * with the name of the {@code serve} option that sets it.
 *
 * @param maxUploadBytes largest upload
 * @param maxImageSide largest image width or height, checked from the header before decoding
 * @param maxImagePixels largest width times height
 * @param queueCapacity jobs that may wait for a worker; more are answered 503
 * @param workers jobs decoded at once
 * @param timeLimitMs time a request may take from entering the queue to its answer; longer is 504
 */
public record ServerLimits(
        long maxUploadBytes, int maxImageSide, long maxImagePixels, int queueCapacity, int workers, long timeLimitMs) {

    public ServerLimits {
        if (maxUploadBytes < 1) {
            throw new IllegalArgumentException("--max-upload-mb must be positive, got " + (maxUploadBytes >> 20));
        }
        positive("--max-image-side", maxImageSide);
        if (maxImagePixels < 1) {
            throw new IllegalArgumentException("the largest image (--max-image-side squared) must be positive, got "
                    + maxImagePixels + " pixels");
        }
        if (queueCapacity < 0) {
            throw new IllegalArgumentException("--queue must be 0 or more, got " + queueCapacity);
        }
        positive("--workers", workers);
        positive("--time-limit-ms", timeLimitMs);
    }

    /** 16 MiB uploads, 4096 px a side, 16.7 Mpx, 16 waiting, 2 workers, 30 s. */
    public static ServerLimits defaults() {
        return new ServerLimits(16L << 20, 4096, 4096L * 4096, 16, 2, 30_000);
    }

    private static void positive(String name, long value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }
}
