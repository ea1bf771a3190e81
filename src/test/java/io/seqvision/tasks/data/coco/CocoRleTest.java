package io.seqvision.tasks.data.coco;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqvision.tokenizers.BinaryMask;
import java.util.List;
import java.util.Random;
import java.util.function.BiPredicate;
import org.junit.jupiter.api.Test;

class CocoRleTest {

    /** A mask of {@code height} rows by {@code width} columns; {@code inside.test(y, x)} as in the script. */
    private static BinaryMask mask(int height, int width, BiPredicate<Integer, Integer> inside) {
        boolean[] pixels = new boolean[height * width];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                pixels[y * width + x] = inside.test(y, x);
            }
        }
        return new BinaryMask(width, height, pixels);
    }

    private static void assertDecodes(String counts, int height, int width, int area,
            BiPredicate<Integer, Integer> inside) {
        CocoRle rle = new CocoRle(height, width, CocoRle.decodeCounts(counts));
        assertEquals(area, rle.area(), counts);
        assertEquals(mask(height, width, inside), rle.toMask(), counts);
    }

    /** A reference case: pycocotools' string for the script's mask. */
    private record Reference(String counts, int height, int width, int area, BiPredicate<Integer, Integer> inside) {}

    // Reference strings from pycocotools 2.0 (mask.encode of a Fortran-order uint8 array), made once by
    // src/test/python/rle_fixtures.py; the masks are the script's formulas, repeated here.
    private static final List<Reference> PYCOCOTOOLS = List.of(
            new Reference("012000000000000000000000O", 5, 7, 12, (y, x) -> (x + 2 * y) % 3 == 0),
            new Reference("n61j06K4M2O0O2O000O20N10001N101N3L5Jg>", 30, 40, 197,
                    (y, x) -> (x - 15) * (x - 15) + (y - 12) * (y - 12) <= 64),
            new Reference("b4^12000l6cN]J8J4M2N2O0O2O00000O20N1000001N101N2N3L6HV2", 48, 33, 455,
                    (y, x) -> (x - 20) * (x - 20) + (y - 30) * (y - 30) <= 100 || (3 <= x && x <= 5 && y >= 2)),
            new Reference("h0", 4, 6, 0, (y, x) -> false),
            new Reference("0k0", 3, 9, 27, (y, x) -> true),
            new Reference("en1i5?" + "0".repeat(77) + "`n10`QN" + "0".repeat(157) + "[n1", 200, 150, 22200,
                    (y, x) -> 10 <= x && x < 140 && 5 <= y && y < 190 && !(50 <= x && x < 60)));

    @Test
    void decodesPycocotoolsEncodings() {
        for (Reference r : PYCOCOTOOLS) {
            assertDecodes(r.counts(), r.height(), r.width(), r.area(), r.inside());
        }
    }

    @Test
    void encodesMasksAsPycocotoolsDoes() {
        for (Reference r : PYCOCOTOOLS) {
            CocoRle rle = CocoRle.of(mask(r.height(), r.width(), r.inside()));
            assertEquals(r.counts(), rle.compressedCounts(), r.height() + " x " + r.width());
            assertEquals(r.area(), rle.area());
        }
    }

    @Test
    void randomMasksSurviveEncodingAndDecoding() {
        Random random = new Random(3);
        for (int trial = 0; trial < 200; trial++) {
            int height = 1 + random.nextInt(40);
            int width = 1 + random.nextInt(40);
            double density = random.nextDouble();
            BinaryMask mask = mask(height, width, (y, x) -> random.nextDouble() < density);
            CocoRle rle = CocoRle.of(mask);
            assertEquals(mask, rle.toMask());
            assertEquals(rle, new CocoRle(height, width, CocoRle.decodeCounts(rle.compressedCounts())));
        }
    }

    @Test
    void uncompressedRunsFromTheScriptMatchTheirCompressedForm() {
        // pycocotools' frPyObjects turned these run arrays into the strings above
        assertArrayEquals(new int[] {0, 27}, CocoRle.decodeCounts("0k0"));
        assertArrayEquals(new int[] {24}, CocoRle.decodeCounts("h0"));
        assertArrayEquals(new int[] {0, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 1},
                CocoRle.decodeCounts("012000000000000000000000O"));
    }

    @Test
    void handWorkedEncodings() {
        // runs 1, 2, 3 in a 2 x 3 mask: column-major pixels 0 1 | 1 0 | 0 0, i.e. rows [0 1 0] and [1 0 0];
        // the first three runs are written as they are, one character each ('0' + run)
        CocoRle small = new CocoRle(2, 3, CocoRle.decodeCounts("123"));
        assertArrayEquals(new int[] {1, 2, 3}, small.counts());
        assertEquals(mask(2, 3, (y, x) -> y == 0 && x == 1 || y == 1 && x == 0), small.toMask());
        // 100 = 3 * 32 + 4: low group 4 with the continuation bit (4 | 0x20 = 36, '0' + 36 = 'T'), then 3
        assertArrayEquals(new int[] {100}, CocoRle.decodeCounts("T3"));
        // from the fourth run on, values are differences to the run two before: 5, 2, 7, then 2 + (-1) = 1;
        // -1 is the single group 0x1F ('O'), sign-extended from bit 0x10
        assertArrayEquals(new int[] {5, 2, 7, 1}, CocoRle.decodeCounts("527O"));
        assertArrayEquals(new int[0], CocoRle.decodeCounts(""));
    }

    @Test
    void rejectsMalformedCounts() {
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> CocoRle.decodeCounts("12 3"));
        assertTrue(bad.getMessage().contains("invalid character ' ' at position 2"), bad.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CocoRle.decodeCounts("1p"));
        IllegalArgumentException cut = assertThrows(IllegalArgumentException.class, () -> CocoRle.decodeCounts("1T"));
        assertTrue(cut.getMessage().contains("ends inside run 1"), cut.getMessage());
        // fourth run 1 + (-2): negative
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> CocoRle.decodeCounts("511N"));
        assertTrue(negative.getMessage().contains("run 3 decodes to -1"), negative.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CocoRle.decodeCounts("oooooooo1"), "too long a run");
        IllegalArgumentException sum = assertThrows(IllegalArgumentException.class,
                () -> new CocoRle(2, 3, new int[] {1, 2, 2}));
        assertTrue(sum.getMessage().contains("sum to 5 but size [2, 3] has 6 pixels"), sum.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new CocoRle(0, 3, new int[0]));
        assertThrows(IllegalArgumentException.class, () -> new CocoRle(2, 3, new int[] {7, -1}));
    }
}
