package io.seqvision.web.api;

/**
 * The body of every error the API answers: the HTTP status, a stable machine-readable code and a
 * sentence saying what was wrong and, where it helps, what is allowed.
 *
 * @param status the HTTP status, repeated so that a logged body stands alone
 * @param error a short code such as {@code unknown_task} or {@code queue_full}
 * @param message what went wrong, naming the value or limit involved
 */
public record ApiError(int status, String error, String message) {}
