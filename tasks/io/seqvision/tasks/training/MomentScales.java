package io.seqvision.tasks.training;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * The header of an optimizer state file ({@code optimizer.bin}): by how much the stored first and
 * second moments differ from AdamW's own, then the step count. {@link FusedAdamW} keeps its moments
 * scaled (see there) and stores them as they are, because dividing the scale out and multiplying
 * it back in float32 is not exact: a resume would continue one ulp away from the run it continues.
 * A reader with other scales converts; files written before the header existed (AdamW's moments,
 * step count first) still read.
 *
 * @param first the stored first moments over AdamW's
 * @param second the stored second moments over AdamW's
 * @param steps the optimizer steps done
 */
record MomentScales(double first, double second, long steps) {

    /** Marks a file with this header: an older file starts with its step count, never negative. */
    private static final long MARKER = -0x5345515641444D31L;

    void write(DataOutputStream out) throws IOException {
        out.writeLong(MARKER);
        out.writeDouble(first);
        out.writeDouble(second);
        out.writeLong(steps);
    }

    static MomentScales read(DataInputStream in) throws IOException {
        long head = in.readLong();
        if (head != MARKER) {
            if (head < 0) {
                throw new IOException("not an optimizer state file (it starts with " + head + ")");
            }
            return new MomentScales(1, 1, head);
        }
        double first = in.readDouble();
        double second = in.readDouble();
        long steps = in.readLong();
        if (!(first > 0) || !(second > 0) || steps < 0) {
            throw new IOException("malformed optimizer state header (scales " + first + ", " + second
                    + ", steps " + steps + ")");
        }
        return new MomentScales(first, second, steps);
    }
}
