package io.seqvision.tasks.training;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * The PyTorch-engine calls that DJL's engine-neutral API lacks, in one place: training needs an
 * exact in-place gradient reset (DJL's {@code zeroGradients} multiplies by zero, which keeps NaN
 * after an overflow) and to switch autograd recording off around copies. Nothing else in the
 * project touches the engine's internals, so another engine would need only this class redone.
 */
final class EngineCalls {

    private EngineCalls() {}

    /** Sets {@code array}'s gradient to exactly zero, in place (NaN and infinities too). */
    static void zeroGradient(NDArray array) {
        JniUtils.zeroGrad((PtNDArray) array);
    }

    /** Runs {@code work} with autograd recording off, restoring the previous mode afterwards. */
    static void withoutRecording(Runnable work) {
        boolean recording = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try {
            work.run();
        } finally {
            JniUtils.setGradMode(recording);
        }
    }
}
