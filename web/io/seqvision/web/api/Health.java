package io.seqvision.web.api;

/**
 * {@code GET /api/health}: the server is up and the model loaded.
 *
 * @param status {@code ok}
 * @param running inference jobs being decoded now
 * @param waiting jobs in the queue
 * @param uptimeSeconds seconds since the server started
 * @param decoding the shared decoding steps so far; absent when each request decodes alone ({@code --batch-rows 0})
 */
public record Health(String status, String model, int running, int waiting, long uptimeSeconds,
        SharedDecoding decoding) {}
