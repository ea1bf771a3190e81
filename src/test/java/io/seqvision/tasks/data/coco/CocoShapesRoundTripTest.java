package io.seqvision.tasks.data.coco;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.seqvision.tasks.data.shapes.ShapeCategory;
import io.seqvision.tasks.data.shapes.ShapeColor;
import io.seqvision.tasks.data.shapes.ShapesGenerator;
import io.seqvision.tasks.data.shapes.ShapesOptions;
import io.seqvision.tasks.data.shapes.ShapesSummary;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The loader reads what the shapes generator writes, and the content is consistent. */
class CocoShapesRoundTripTest {

    private static final double ROUNDING = 0.011;

    @TempDir
    static Path root;
    private static ShapesSummary summary;

    @BeforeAll
    static void generate() throws IOException {
        summary = new ShapesGenerator(new ShapesOptions(5, 20, 3, 128, 192, 1, 6)).generate(root);
    }

    @Test
    void instancesLoadWithConsistentGeometry() {
        for (ShapesSummary.SplitSummary split : summary.splits()) {
            CocoInstances coco = CocoLoader.loadInstances(root.resolve("annotations/instances_" + split.split()
                    + ".json"), root.resolve("images").resolve(split.split()));
            assertEquals(split.images(), coco.images().size());
            assertEquals(split.objects(), coco.annotations().size());
            assertEquals(Arrays.stream(ShapeCategory.values()).map(c -> new CocoCategory(c.cocoId(), c.cocoName()))
                    .toList(), coco.categories());
            Map<String, Integer> perCategory = new HashMap<>();
            for (CocoImage image : coco.images()) {
                int count = coco.annotationsOf(image.id()).size();
                assertTrue(count >= 1 && count <= 6, "image " + image.id() + " has " + count + " objects");
                for (CocoAnnotation a : coco.annotationsOf(image.id())) {
                    perCategory.merge(coco.category(a.categoryId()).name(), 1, Integer::sum);
                    CocoBox box = a.bbox();
                    assertTrue(box.x() >= 0 && box.y() >= 0 && box.x2() <= image.width() && box.y2() <= image.height(),
                            "annotation " + a.id() + " box " + box + " leaves " + image);
                    assertTrue(!a.polygons().isEmpty() && !a.crowd());
                    double minX = Double.POSITIVE_INFINITY;
                    double maxX = Double.NEGATIVE_INFINITY;
                    for (CocoPolygon polygon : a.polygons()) {
                        for (int i = 0; i < polygon.pointCount(); i++) {
                            assertTrue(box.contains(polygon.x(i), polygon.y(i), ROUNDING),
                                    "annotation " + a.id() + " vertex outside its box");
                            minX = Math.min(minX, polygon.x(i));
                            maxX = Math.max(maxX, polygon.x(i));
                        }
                    }
                    assertEquals(box.x(), minX, ROUNDING, "box is tight");
                    assertEquals(box.x2(), maxX, ROUNDING, "box is tight");
                    double polygonSum = a.polygons().stream().mapToDouble(CocoPolygon::area).sum();
                    assertTrue(a.area() > 0 && a.area() <= polygonSum + ROUNDING && a.area() <= box.area() + ROUNDING);
                }
            }
            assertEquals(split.objectsPerCategory().entrySet().stream().filter(e -> e.getValue() > 0)
                    .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)), perCategory);
        }
    }

    @Test
    void personKeypointsLieInsidePersonBoxes() {
        CocoInstances persons = CocoLoader.loadInstances(root.resolve("annotations/person_keypoints_train.json"),
                root.resolve("images/train"));
        assertEquals(summary.splits().get(0).objectsPerCategory().get("person"), persons.annotations().size());
        assertTrue(persons.annotations().size() > 0);
        for (CocoAnnotation person : persons.annotations()) {
            assertEquals(5, person.categoryId());
            assertEquals(17, person.keypoints().size());
            for (CocoKeypoint k : person.keypoints()) {
                if (k.labelled()) {
                    assertTrue(person.bbox().contains(k.x(), k.y(), 0), "annotation " + person.id() + ": " + k);
                } else {
                    assertEquals(new CocoKeypoint(0, 0, 0), k);
                }
            }
            // the person's area is its limbs' union, smaller than their overlapping sum
            double polygonSum = person.polygons().stream().mapToDouble(CocoPolygon::area).sum();
            assertTrue(person.area() < polygonSum, "annotation " + person.id());
        }
    }

    @Test
    void captionsNameAColourAndAShape() throws IOException {
        JsonNode captions = new ObjectMapper().readTree(root.resolve("annotations/captions_train.json").toFile());
        Map<Integer, Integer> perImage = new HashMap<>();
        for (JsonNode caption : captions.get("annotations")) {
            String text = caption.get("caption").asText();
            perImage.merge(caption.get("image_id").asInt(), 1, Integer::sum);
            assertEquals(text.toLowerCase().strip(), text);
            assertTrue(Arrays.stream(ShapeColor.values()).anyMatch(c -> text.contains(c.word())), text);
            assertTrue(Arrays.stream(ShapeCategory.values())
                    .anyMatch(c -> text.contains(c.cocoName()) || text.contains(c.plural())), text);
        }
        assertEquals(20, perImage.size());
        perImage.values().forEach(n -> assertTrue(n == 2 || n == 3));
        assertEquals(20, captions.get("images").size());
    }
}
