package io.seqvision.tasks.segmentation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqvision.decoder.generate.LogitsProcessor;
import io.seqvision.tasks.DecodingOptions;
import io.seqvision.tokenizers.BinaryMask;
import io.seqvision.tokenizers.MaskTokenizer;
import io.seqvision.tokenizers.NormalizedPolygon;
import io.seqvision.tokenizers.PolygonRasterizer;
import io.seqvision.tokenizers.Vocabulary;
import java.util.List;
import org.junit.jupiter.api.Test;

class SegmentationTaskTest {

    private final SegmentationTask task = new SegmentationTask(new MaskTokenizer(new Vocabulary(2, 128, 0), 24),
            DecodingOptions.greedy(), LogitsProcessor.NONE);

    private static NormalizedPolygon rectangle(double x0, double y0, double x1, double y1) {
        return new NormalizedPolygon(new double[] {x0, y0, x1, y0, x1, y1, x0, y1});
    }

    @Test
    void overlappingPartsAreTrainedAsTheOutlineOfTheirUnion() {
        // a cross of two bars: one connected shape
        List<NormalizedPolygon> parts = List.of(rectangle(0.2, 0.45, 0.8, 0.55), rectangle(0.45, 0.2, 0.55, 0.8));
        List<NormalizedPolygon> target = task.target(parts);
        assertEquals(1, target.size(), "one outline for one connected union");
        assertEquals(12, target.get(0).pointCount(), "a cross has twelve corners");
        BinaryMask truth = PolygonRasterizer.rasterize(parts, 200, 200);
        BinaryMask traced = PolygonRasterizer.rasterize(target, 200, 200);
        assertTrue(truth.iou(traced) > 0.97, "IoU " + truth.iou(traced));
    }

    @Test
    void separatePartsStaySeparateAndASinglePolygonIsKeptAsGiven() {
        List<NormalizedPolygon> apart = List.of(rectangle(0.1, 0.1, 0.3, 0.3), rectangle(0.6, 0.6, 0.9, 0.9));
        assertEquals(2, task.target(apart).size());
        List<NormalizedPolygon> single = List.of(rectangle(0.1, 0.1, 0.3, 0.3));
        assertSame(single, task.target(single));
    }
}
