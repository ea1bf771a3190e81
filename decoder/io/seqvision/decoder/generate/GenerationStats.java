package io.seqvision.decoder.generate;

/**
 * Where a {@link Generator} call's time went, accumulated over the calls it is passed to: decoder
 * steps, host reads and uploads of arrays, and host time. Counting costs two clock reads per step,
 * so the generator always counts; a caller that wants the figures passes its own instance.
 *
 * <p>A step makes one token for every active sequence. "Decoder" time is the decoder's DJL calls
 * including the read of the logits (the read waits for the device); "host" time is the rest of
 * a step: constraint, logits processor, sampler and bookkeeping in Java.
 *
 * <p>Not thread-safe: one instance per thread.
 */
public final class GenerationStats {

    long steps;
    long hostReads;
    long uploads;
    long decoderNanos;
    long hostNanos;

    /** Decoder steps run (one token per active sequence each). */
    public long steps() {
        return steps;
    }

    /** Arrays read from the device to the host (each a {@code toFloatArray} or similar). */
    public long hostReads() {
        return hostReads;
    }

    /** Arrays created from host data for the device (token ids, logits for a sampler). */
    public long uploads() {
        return uploads;
    }

    /** Nanoseconds in the decoder's DJL calls, the logits read included. */
    public long decoderNanos() {
        return decoderNanos;
    }

    /** Nanoseconds of host work per step outside the decoder: masks, sampling, bookkeeping. */
    public long hostNanos() {
        return hostNanos;
    }

    /** Sets every figure back to zero. */
    public void reset() {
        steps = 0;
        hostReads = 0;
        uploads = 0;
        decoderNanos = 0;
        hostNanos = 0;
    }
}
