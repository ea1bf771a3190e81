package io.seqvision.tasks.data.coco;

import io.seqvision.tokenizers.BinaryMask;
import java.util.Arrays;

/**
 * A COCO run-length encoded mask ({@code segmentation: {"size": [h, w], "counts": ...}}): alternating runs of
 * background and foreground pixels in column-major order (down the first column, then the next), starting with
 * background (a mask whose first pixel is set starts with a run of 0). {@code counts} is either a JSON array of
 * run lengths or the compressed string of pycocotools' {@code maskApi.c}.
 *
 * <p>Kept as runs rather than decoded pixels: COCO's crowd regions are RLE, and thousands of full-image masks
 * would take gigabytes as booleans; {@link #toMask()} decodes on demand.
 *
 * @param height rows, {@code size[0]}
 * @param width  columns, {@code size[1]}
 * @param counts run lengths, summing to {@code height * width}; copied, never shared
 */
public record CocoRle(int height, int width, int[] counts) {

    /**
     * @throws IllegalArgumentException if the size is not positive or over {@link Integer#MAX_VALUE} pixels, a
     *     run is negative, or the runs do not sum to {@code height * width}
     */
    public CocoRle {
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("RLE size must be positive, got [" + height + ", " + width + "]");
        }
        long pixels = (long) height * width;
        if (pixels > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("RLE size [" + height + ", " + width + "] has too many pixels");
        }
        long sum = 0;
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] < 0) {
                throw new IllegalArgumentException("RLE run " + i + " is negative: " + counts[i]);
            }
            sum += counts[i];
        }
        if (sum != pixels) {
            throw new IllegalArgumentException("RLE counts sum to " + sum + " but size [" + height + ", " + width
                    + "] has " + pixels + " pixels");
        }
        counts = counts.clone();
    }

    /**
     * Decodes pycocotools' compressed counts string: each run is a little-endian sequence of 5-bit groups, one
     * character per group ({@code '0' + group}, bit 0x20 of the group meaning "more groups follow"), sign-extended
     * from the last group's bit 0x10; from the fourth run on, the value is the difference to the run two before.
     *
     * @throws IllegalArgumentException for a character outside {@code '0'..'o'}, a run cut off at the end of the
     *     string, a run too long to be a pixel count, or a negative run
     */
    public static int[] decodeCounts(String compressed) {
        int[] counts = new int[Math.max(1, compressed.length())];
        int m = 0;
        int p = 0;
        while (p < compressed.length()) {
            long x = 0;
            int k = 0;
            boolean more = true;
            while (more) {
                if (p >= compressed.length()) {
                    throw new IllegalArgumentException("RLE counts string ends inside run " + m);
                }
                char ch = compressed.charAt(p);
                int c = ch - '0';
                if (c < 0 || c > 0x3F) {
                    throw new IllegalArgumentException("RLE counts string has an invalid character '" + ch
                            + "' at position " + p + " (allowed: '0' to 'o')");
                }
                if (k >= 7) { // 7 groups are 35 bits: no pixel count needs more
                    throw new IllegalArgumentException("RLE run " + m + " is too long (at position " + p + ")");
                }
                x |= (long) (c & 0x1F) << (5 * k);
                more = (c & 0x20) != 0;
                p++;
                k++;
                if (!more && (c & 0x10) != 0) {
                    x |= -1L << (5 * k);
                }
            }
            if (m > 2) {
                x += counts[m - 2];
            }
            if (x < 0 || x > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("RLE run " + m + " decodes to " + x + ", not a pixel count");
            }
            counts[m++] = (int) x;
        }
        return Arrays.copyOf(counts, m);
    }

    /**
     * The RLE of a mask, as pycocotools' {@code mask.encode} makes it: column-major runs, starting
     * with background.
     */
    public static CocoRle of(BinaryMask mask) {
        int height = mask.height();
        int width = mask.width();
        int[] counts = new int[16];
        int m = 0;
        boolean current = false;
        int run = 0;
        for (int x = 0; x < width; x++) {
            for (int y = 0; y < height; y++) {
                if (mask.get(x, y) != current) {
                    if (m == counts.length) {
                        counts = Arrays.copyOf(counts, 2 * m);
                    }
                    counts[m++] = run;
                    run = 0;
                    current = !current;
                }
                run++;
            }
        }
        if (m == counts.length) {
            counts = Arrays.copyOf(counts, m + 1);
        }
        counts[m++] = run;
        return new CocoRle(height, width, Arrays.copyOf(counts, m));
    }

    /**
     * These counts as pycocotools' compressed string ({@code rleToString} of {@code maskApi.c}), the
     * form COCO results files hold; {@link #decodeCounts} inverts it.
     */
    public String compressedCounts() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < counts.length; i++) {
            long x = counts[i];
            if (i > 2) {
                x -= counts[i - 2];
            }
            boolean more = true;
            while (more) {
                int c = (int) (x & 0x1F);
                x >>= 5;
                more = (c & 0x10) != 0 ? x != -1 : x != 0;
                if (more) {
                    c |= 0x20;
                }
                text.append((char) (c + '0'));
            }
        }
        return text.toString();
    }

    /** @return the run lengths (a copy) */
    @Override
    public int[] counts() {
        return counts.clone();
    }

    /** @return the number of foreground pixels (the odd runs) */
    public long area() {
        long area = 0;
        for (int i = 1; i < counts.length; i += 2) {
            area += counts[i];
        }
        return area;
    }

    /** @return the mask, {@code width x height}, row-major as {@link BinaryMask} stores it */
    public BinaryMask toMask() {
        boolean[] pixels = new boolean[height * width];
        int position = 0;
        for (int i = 0; i < counts.length; i++) {
            int end = position + counts[i];
            if (i % 2 == 1) {
                for (int q = position; q < end; q++) {
                    // column-major q -> column q / height, row q % height
                    pixels[(q % height) * width + q / height] = true;
                }
            }
            position = end;
        }
        return new BinaryMask(width, height, pixels);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CocoRle r && r.height == height && r.width == width
                && Arrays.equals(r.counts, counts);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * height + width) + Arrays.hashCode(counts);
    }

    @Override
    public String toString() {
        return "CocoRle[" + height + " x " + width + ", " + counts.length + " runs, area " + area() + "]";
    }
}
