package io.seqvision.tasks.data.shapes;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqvision.tasks.data.coco.CocoAnnotation;
import io.seqvision.tasks.data.coco.CocoImage;
import io.seqvision.tasks.data.coco.CocoInstances;
import io.seqvision.tasks.data.coco.CocoLoader;
import io.seqvision.tasks.data.coco.CocoPolygon;
import io.seqvision.tokenizers.BinaryMask;
import io.seqvision.tokenizers.MaskTokenizer;
import io.seqvision.tokenizers.NormalizedPolygon;
import io.seqvision.tokenizers.PolygonRasterizer;
import io.seqvision.tokenizers.Vocabulary;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The mask tokenizer's round trip on the generated shapes data itself, persons' 13 polygons included. */
class ShapesMaskRoundTripTest {

    @Test
    void thousandBinRoundTripKeepsMaskIouAboveNinetyFivePercent(@TempDir Path dir) throws Exception {
        new ShapesGenerator(ShapesOptions.defaults().withImages(30, 1)).generate(dir);
        CocoInstances coco = CocoLoader.loadInstances(
                dir.resolve("annotations/instances_train.json"), dir.resolve("images/train"));
        MaskTokenizer tokenizer = new MaskTokenizer(new Vocabulary(5, 1000, 0));
        double sum = 0;
        double min = 1;
        int objects = 0;
        for (CocoImage image : coco.images()) {
            for (CocoAnnotation annotation : coco.annotationsOf(image.id())) {
                List<NormalizedPolygon> polygons = new ArrayList<>();
                for (CocoPolygon polygon : annotation.polygons()) {
                    polygons.add(NormalizedPolygon.fromPixels(polygon.coordinates(), image.width(), image.height()));
                }
                BinaryMask original = PolygonRasterizer.rasterize(polygons, image.width(), image.height());
                BinaryMask back = tokenizer.decodeMask(
                        tokenizer.encode(polygons).tokens(), image.width(), image.height());
                double iou = original.iou(back);
                sum += iou;
                min = Math.min(min, iou);
                objects++;
            }
        }
        System.out.printf("shapes mask round trip at 1000 bins: %d objects, mean IoU %.4f, min %.4f%n",
                objects, sum / objects, min);
        assertTrue(objects > 50, "objects: " + objects);
        assertTrue(min > 0.95, "min IoU " + min);
    }
}
