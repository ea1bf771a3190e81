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
 * <p>Public as the file format of the optimizer state, for optimizers outside this package that
 * read and write it (the per-parameter AdamW the speed bench runs as its baseline and the tests
 * check {@link FusedAdamW} against).
 *
 * @param first the stored first moments over AdamW's
 * @param second the stored second moments over AdamW's
 * @param steps the optimizer steps done
 */
public record MomentScales(double first, double second, long steps) {

    /** Marks a file with this header: an older file starts with its step count, never negative. */
    private static final long MARKER = -0x5345515641444D31L;

    /** Writes the header: a marker, the two scales and the step count. */
    public void write(DataOutputStream out) throws IOException {
        out.writeLong(MARKER);
        out.writeDouble(first);
        out.writeDouble(second);
        out.writeLong(steps);
    }

    /** Reads a header written by {@link #write}, or the bare step count a file without one starts with. */
    public static MomentScales read(DataInputStream in) throws IOException {
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
