package io.seqvision.web.service;

import io.seqvision.web.ApiException;

/** A request ran past its time limit (504): waiting for a worker and decoding took too long. */
public final class TimeLimitExceededException extends ApiException {

    public TimeLimitExceededException(long limitMs, long elapsedMs) {
        super(504, "time_limit", "no answer within the time limit of " + limitMs + " ms (gave up after "
                + elapsedMs + " ms); try a smaller image or retry when the server is less busy");
    }
}
