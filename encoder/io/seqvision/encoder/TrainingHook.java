package io.seqvision.encoder;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Something a model needs done around optimizer steps, with state that belongs in checkpoints (for
 * example SLaK's dynamic-sparsity masks). The trainer calls, for each step {@code s = 1, 2, ...}
 * (the number of optimizer updates once this one is done): backward, {@link #beforeStep(long)
 * beforeStep(s)} while the gradients are still there, the optimizer update, {@link
 * #afterStep(long) afterStep(s)}. A checkpoint written after step {@code s} saves the hook's state
 * with {@link #save}; resuming loads it with {@link #load} and continues with step {@code s + 1}.
 */
public interface TrainingHook {

    /**
     * Where a parameter's gradient is: its own array's, or, when a trainer keeps parameters in flat
     * buffers, a view of the flat gradient.
     */
    @FunctionalInterface
    interface Gradients {
        /** The gradient of {@code parameter}, in its shape; the caller closes it. */
        NDArray of(Parameter parameter);

        /** Gradients kept on the parameters' own arrays (DJL's default). */
        static Gradients onParameters() {
            return parameter -> parameter.getArray().getGradient();
        }
    }

    /** {@link #beforeStep(long, Gradients)} with the gradients on the parameters' own arrays. */
    default void beforeStep(long step) {
        beforeStep(step, Gradients.onParameters());
    }

    /** Called after the backward of step {@code step} and before the optimizer update. */
    default void beforeStep(long step, Gradients gradients) {}

    /** Called after the optimizer update of step {@code step} (1-based). */
    void afterStep(long step);

    /** Writes the hook's state. */
    void save(DataOutputStream out) throws IOException;

    /**
     * Restores state written by {@link #save}.
     *
     * @throws IOException if the stream is malformed or was written for another model
     */
    void load(DataInputStream in) throws IOException;
}
