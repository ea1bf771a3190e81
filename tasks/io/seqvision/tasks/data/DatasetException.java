package io.seqvision.tasks.data;

/**
 * A data set on disk is unusable: malformed JSON, a missing field, an entry that contradicts another, or a
 * file that is not there. The message names the file and the entry at fault.
 */
public class DatasetException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** @param message what is wrong, naming the file and the entry */
    public DatasetException(String message) {
        super(message);
    }

    /**
     * @param message what is wrong, naming the file and the entry
     * @param cause the underlying parse or I/O error
     */
    public DatasetException(String message, Throwable cause) {
        super(message, cause);
    }
}
