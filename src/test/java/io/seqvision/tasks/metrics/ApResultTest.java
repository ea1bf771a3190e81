package io.seqvision.tasks.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ApResultTest {

    @Test
    void formatReproducesCocoSummaryLines() {
        // Expected text is pycocotools' COCOeval.summarize() output for generator seed 1.
        ApResult r = new ApResult(0.2322172536859868, 0.33383191365390424, 0.2659011043937389,
                0.10905115511551154, 0.27314199277070567, 0.4743951510535668, 0.3088406385281385,
                0.44740259740259736, 0.44740259740259736, 0.17703373015873014, 0.43277777777777776,
                0.7485714285714284);
        String expected = String.join("\n",
                " Average Precision  (AP) @[ IoU=0.50:0.95 | area=   all | maxDets=100 ] = 0.232",
                " Average Precision  (AP) @[ IoU=0.50      | area=   all | maxDets=100 ] = 0.334",
                " Average Precision  (AP) @[ IoU=0.75      | area=   all | maxDets=100 ] = 0.266",
                " Average Precision  (AP) @[ IoU=0.50:0.95 | area= small | maxDets=100 ] = 0.109",
                " Average Precision  (AP) @[ IoU=0.50:0.95 | area=medium | maxDets=100 ] = 0.273",
                " Average Precision  (AP) @[ IoU=0.50:0.95 | area= large | maxDets=100 ] = 0.474",
                " Average Recall     (AR) @[ IoU=0.50:0.95 | area=   all | maxDets=  1 ] = 0.309",
                " Average Recall     (AR) @[ IoU=0.50:0.95 | area=   all | maxDets= 10 ] = 0.447",
                " Average Recall     (AR) @[ IoU=0.50:0.95 | area=   all | maxDets=100 ] = 0.447",
                " Average Recall     (AR) @[ IoU=0.50:0.95 | area= small | maxDets=100 ] = 0.177",
                " Average Recall     (AR) @[ IoU=0.50:0.95 | area=medium | maxDets=100 ] = 0.433",
                " Average Recall     (AR) @[ IoU=0.50:0.95 | area= large | maxDets=100 ] = 0.749");
        assertEquals(expected, r.format());
        assertEquals(expected, r.toString());
    }

    @Test
    void missingValuesPrintAsMinusOneAndRoundingIsHalfEvenOnTheExactValue() {
        ApResult r = new ApResult(-1, 0.0005, 0.1235, 1, 0, 0, 0, 0, 0, 0, 0, 0);
        String[] lines = r.format().split("\n");
        assertEquals(12, lines.length);
        assertEquals("-1.000", lines[0].substring(lines[0].lastIndexOf(' ') + 1));
        // Python's '{:0.3f}' rounds the stored binary value: 0.0005 is stored just above a half
        // and rounds up; 0.1235 is stored just below and rounds down (String.format gives 0.124).
        assertEquals("0.001", lines[1].substring(lines[1].lastIndexOf(' ') + 1));
        assertEquals("0.123", lines[2].substring(lines[2].lastIndexOf(' ') + 1));
        assertEquals("1.000", lines[3].substring(lines[3].lastIndexOf(' ') + 1));
    }
}
