package io.seqvision.web.api;

/**
 * The tokens that produced a piece of the result: {@code [start, end)} indices into the tokens of
 * {@code Prediction.sequences().get(sequence)} (prompt tokens included, so the first object of a
 * detection, after the one-token prompt, spans {@code [1, 6)}).
 */
public record TokenSpan(int sequence, int start, int end) {

    public TokenSpan {
        if (sequence < 0 || start < 0 || end <= start) {
            throw new IllegalArgumentException("bad token span: sequence " + sequence + ", [" + start + ", " + end + ")");
        }
    }
}
