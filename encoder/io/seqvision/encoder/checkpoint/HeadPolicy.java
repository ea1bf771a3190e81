package io.seqvision.encoder.checkpoint;

/** What to do with the classification head of a checkpoint. */
public enum HeadPolicy {
    /** Ignore the file's head tensors (listed as dropped); the model's own head, if any, keeps its values. */
    DROP,
    /** Load the head into the model's head; the model must have one of the same shape. */
    KEEP;

    /** Keeps the head for a model built with classes, drops it for a headless one. */
    public static HeadPolicy forClasses(int numClasses) {
        return numClasses > 0 ? KEEP : DROP;
    }
}
