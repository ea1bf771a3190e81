package io.seqvision.tasks.data.shapes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShapesGeneratorTest {

    private static final ShapesOptions OPTIONS = new ShapesOptions(11, 20, 4, 96, 160, 2, 6);
    private static final List<String> FILES = List.of(
            "annotations/instances_train.json", "annotations/person_keypoints_train.json",
            "annotations/captions_train.json", "annotations/instances_val.json",
            "annotations/person_keypoints_val.json", "annotations/captions_val.json");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path root;
    private static Path first;
    private static ShapesSummary summary;

    @BeforeAll
    static void generate() throws IOException {
        first = root.resolve("first");
        summary = new ShapesGenerator(OPTIONS).generate(first);
    }

    @Test
    void sameSeedGivesByteIdenticalFiles() throws IOException {
        Path second = root.resolve("second");
        new ShapesGenerator(OPTIONS).generate(second);
        for (String file : FILES) {
            assertArrayEquals(Files.readAllBytes(first.resolve(file)), Files.readAllBytes(second.resolve(file)), file);
        }
        for (String image : List.of("images/train/000001.png", "images/train/000013.png", "images/val/000004.png")) {
            assertArrayEquals(Files.readAllBytes(first.resolve(image)), Files.readAllBytes(second.resolve(image)),
                    image);
        }
    }

    @Test
    void anotherSeedGivesOtherData() throws IOException {
        Path other = root.resolve("other");
        new ShapesGenerator(OPTIONS.withSeed(12)).generate(other);
        assertFalse(Files.readString(first.resolve(FILES.get(0))).equals(Files.readString(other.resolve(FILES.get(0)))));
        assertFalse(java.util.Arrays.equals(Files.readAllBytes(first.resolve("images/train/000001.png")),
                Files.readAllBytes(other.resolve("images/train/000001.png"))));
    }

    @Test
    void imagesMatchTheirJsonEntriesAndNoTemporaryFilesRemain() throws IOException {
        for (String split : List.of("train", "val")) {
            JsonNode images = read("annotations/instances_" + split + ".json").get("images");
            assertEquals(split.equals("train") ? 20 : 4, images.size());
            for (JsonNode image : images) {
                assertEquals(String.format("%06d.png", image.get("id").asInt()), image.get("file_name").asText());
                BufferedImage png = ImageIO.read(first.resolve("images").resolve(split)
                        .resolve(image.get("file_name").asText()).toFile());
                assertEquals(image.get("width").asInt(), png.getWidth());
                assertEquals(image.get("height").asInt(), png.getHeight());
                assertTrue(png.getWidth() >= 96 && png.getWidth() <= 160 && png.getHeight() >= 96
                        && png.getHeight() <= 160);
            }
        }
        try (Stream<Path> files = Files.walk(first)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")));
        }
    }

    @Test
    void objectCountsAreInRangeAndBoxesNeverOverlap() throws IOException {
        JsonNode instances = read("annotations/instances_train.json");
        Map<Integer, List<double[]>> boxesByImage = new HashMap<>();
        for (JsonNode annotation : instances.get("annotations")) {
            JsonNode b = annotation.get("bbox");
            boxesByImage.computeIfAbsent(annotation.get("image_id").asInt(), id -> new ArrayList<>())
                    .add(new double[] {b.get(0).asDouble(), b.get(1).asDouble(), b.get(2).asDouble(),
                        b.get(3).asDouble()});
            assertEquals(0, annotation.get("iscrowd").asInt());
        }
        for (JsonNode image : instances.get("images")) {
            List<double[]> boxes = boxesByImage.getOrDefault(image.get("id").asInt(), List.of());
            assertTrue(boxes.size() >= 2 && boxes.size() <= 6, "image " + image.get("id") + ": " + boxes.size());
            for (int i = 0; i < boxes.size(); i++) {
                for (int j = i + 1; j < boxes.size(); j++) {
                    double[] a = boxes.get(i);
                    double[] c = boxes.get(j);
                    double overlapW = Math.min(a[0] + a[2], c[0] + c[2]) - Math.max(a[0], c[0]);
                    double overlapH = Math.min(a[1] + a[3], c[1] + c[3]) - Math.max(a[1], c[1]);
                    assertTrue(overlapW <= 1e-9 || overlapH <= 1e-9, "boxes overlap in image " + image.get("id"));
                }
            }
        }
        ShapesSummary.SplitSummary train = summary.splits().get(0);
        assertEquals("train", train.split());
        assertEquals(20, train.images());
        assertEquals(instances.get("annotations").size(), train.objects());
        assertEquals(train.objects(), train.objectsPerCategory().values().stream().mapToInt(Integer::intValue).sum());
        assertEquals(List.of("circle", "square", "triangle", "star", "person"),
                List.copyOf(train.objectsPerCategory().keySet()));
    }

    @Test
    void keypointFileHoldsPersonsWithCocoFields() throws IOException {
        JsonNode keypoints = read("annotations/person_keypoints_train.json");
        JsonNode categories = keypoints.get("categories");
        assertEquals(1, categories.size());
        assertEquals("person", categories.get(0).get("name").asText());
        assertEquals(17, categories.get(0).get("keypoints").size());
        assertEquals(19, categories.get(0).get("skeleton").size());
        int persons = summary.splits().get(0).objectsPerCategory().get("person");
        assertEquals(persons, keypoints.get("annotations").size());
        assertTrue(persons > 0, "20 images should hold a person");
        for (JsonNode person : keypoints.get("annotations")) {
            assertEquals(5, person.get("category_id").asInt());
            JsonNode kp = person.get("keypoints");
            assertEquals(51, kp.size());
            int labelled = 0;
            for (int k = 0; k < 17; k++) {
                int v = kp.get(3 * k + 2).asInt();
                assertTrue(v == 0 || v == 2);
                if (v == 0) {
                    assertEquals(0, kp.get(3 * k).asDouble());
                    assertEquals(0, kp.get(3 * k + 1).asDouble());
                } else {
                    labelled++;
                }
            }
            assertEquals(labelled, person.get("num_keypoints").asInt());
            assertTrue(labelled == 17 || labelled == 15);
        }
    }

    /** The pixels drawn agree with the annotation: a shape's interior has exactly the shape's colour. */
    @Test
    void paintedShapesMatchTheirAnnotations() throws IOException {
        ShapesGenerator generator = new ShapesGenerator(OPTIONS);
        JsonNode annotations = read("annotations/instances_train.json").get("annotations");
        int next = 0;
        int checked = 0;
        for (int index = 0; index < 20; index++) {
            Scene scene = generator.scene("train", index);
            BufferedImage png = ImageIO.read(first.resolve(String.format("images/train/%06d.png", index + 1)).toFile());
            for (SceneObject object : scene.objects()) {
                JsonNode written = annotations.get(next++);
                assertEquals(index + 1, written.get("image_id").asInt());
                assertEquals(object.category().cocoId(), written.get("category_id").asInt());
                assertEquals(object.bbox()[0], written.get("bbox").get(0).asDouble());
                if (object.category() == ShapeCategory.CIRCLE || object.category() == ShapeCategory.SQUARE) {
                    int cx = (int) object.centerX();
                    int cy = (int) object.centerY();
                    assertEquals(object.color().rgb(), png.getRGB(cx, cy) & 0xFFFFFF,
                            "image " + (index + 1) + " centre of " + object.category());
                    checked++;
                }
                if (object.category() != ShapeCategory.PERSON) {
                    assertEquals(Polygons.area(object.polygons().get(0)), written.get("area").asDouble(), 0.01);
                }
            }
        }
        assertEquals(annotations.size(), next);
        assertTrue(checked > 5);
    }

    private static JsonNode read(String file) throws IOException {
        return JSON.readTree(first.resolve(file).toFile());
    }
}
