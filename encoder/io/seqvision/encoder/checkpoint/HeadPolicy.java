package io.seqvision.encoder.checkpoint;

/** What to do with the classification head of a checkpoint. */
public enum HeadPolicy {
    /** Ignore the file's head tensors (listed as dropped); the model's own head, if any, keeps its values. */
    DROP,
    /** Load the head into the model's head; the model must have one of the same shape. */
    KEEP
}
