package io.seqvision.tasks.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.seqvision.tasks.data.coco.CocoRle;
import io.seqvision.tasks.data.shapes.ShapesGenerator;
import io.seqvision.tasks.data.shapes.ShapesOptions;
import io.seqvision.tokenizers.BinaryMask;
import io.seqvision.tokenizers.Keypoint;
import io.seqvision.tokenizers.NormalizedPolygon;
import io.seqvision.tokenizers.PolygonRasterizer;
import io.seqvision.tokenizers.TokenBox;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MultiTaskDataTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path shapes;

    @TempDir
    Path dir;

    @BeforeAll
    static void generate() throws IOException {
        new ShapesGenerator(new ShapesOptions(3, 12, 4, 64, 96, 1, 6)).generate(shapes);
    }

    private static JsonNode read(Path file) throws IOException {
        return JSON.readTree(file.toFile());
    }

    @Test
    void shapesSplitAgreesWithTheJsonFiles() throws IOException {
        SplitFiles files = SplitFiles.shapesLayout(shapes, "train");
        MultiTaskDataset data = MultiTaskData.load(files, ImageInput.imageNet(32));
        assertEquals(List.of(1, 2, 3, 4, 5), data.categoryIds());
        assertEquals(List.of("circle", "square", "triangle", "star", "person"), data.classNames());
        assertEquals(12, data.size());
        // an independent read of the three files: objects, persons' keypoints and captions per image
        Map<Long, List<JsonNode>> objects = new HashMap<>();
        read(files.instances()).get("annotations").forEach(
                a -> objects.computeIfAbsent(a.get("image_id").asLong(), k -> new ArrayList<>()).add(a));
        Map<Long, JsonNode> keypoints = new HashMap<>();
        read(files.keypoints()).get("annotations").forEach(a -> keypoints.put(a.get("id").asLong(), a));
        Map<Long, List<String>> captions = new HashMap<>();
        read(files.captions()).get("annotations").forEach(a -> captions.computeIfAbsent(
                a.get("image_id").asLong(), k -> new ArrayList<>()).add(a.get("caption").asText()));
        int persons = 0;
        for (MultiTaskExample example : data.examples()) {
            assertEquals(3 * 32 * 32, example.pixels().length);
            assertEquals(captions.get(example.imageId()), example.captions());
            List<JsonNode> expected = objects.get(example.imageId());
            assertEquals(expected.size(), example.objects().size());
            for (int i = 0; i < expected.size(); i++) {
                JsonNode a = expected.get(i);
                AnnotatedObject o = example.objects().get(i);
                JsonNode bbox = a.get("bbox");
                double w = example.width();
                double h = example.height();
                assertEquals(new TokenBox(bbox.get(1).asDouble() / h, bbox.get(0).asDouble() / w,
                        (bbox.get(1).asDouble() + bbox.get(3).asDouble()) / h,
                        (bbox.get(0).asDouble() + bbox.get(2).asDouble()) / w, a.get("category_id").asInt() - 1), o.box());
                assertEquals(a.get("segmentation").size(), o.polygons().size());
                assertEquals(a.get("segmentation").get(0).get(0).asDouble() / w, o.polygons().get(0).x(0), 1e-12);
                assertEquals(a.get("area").asDouble(), o.area());
                JsonNode k = keypoints.get(a.get("id").asLong());
                assertEquals(k != null, o.hasKeypoints(), "keypoints only on persons, merged by id");
                if (k != null) {
                    persons++;
                    assertEquals(17, o.keypoints().size());
                    for (int p = 0; p < 17; p++) {
                        JsonNode values = k.get("keypoints");
                        int v = values.get(3 * p + 2).asInt();
                        Keypoint expectedPoint = v == 0 ? Keypoint.UNLABELLED
                                : new Keypoint(values.get(3 * p).asDouble() / w, values.get(3 * p + 1).asDouble() / h, v);
                        assertEquals(expectedPoint, o.keypoints().get(p));
                    }
                }
            }
        }
        assertEquals(keypoints.size(), persons);
        assertTrue(persons > 0, "the generated split has persons");
    }

    @Test
    void heldOutSplitTakesTheTrainingClasses() {
        MultiTaskDataset val = MultiTaskData.load(SplitFiles.shapesLayout(shapes, "val"), ImageInput.imageNet(16),
                List.of(5, 4, 3, 2, 1));
        assertEquals(List.of("person", "star", "triangle", "square", "circle"), val.classNames());
        assertEquals(4, val.size());
        DatasetException e = assertThrows(DatasetException.class, () -> MultiTaskData.load(
                SplitFiles.shapesLayout(shapes, "val"), ImageInput.imageNet(16), List.of(1, 2, 3, 4)));
        assertTrue(e.getMessage().contains("instances_val.json: category 5 ('person') is not among the model's"
                + " classes [1, 2, 3, 4]"), e.getMessage());
    }

    @Test
    void splitWithoutKeypointsOrCaptions() {
        SplitFiles all = SplitFiles.shapesLayout(shapes, "val");
        MultiTaskDataset data = MultiTaskData.load(SplitFiles.of(all.images(), all.instances()),
                ImageInput.imageNet(16));
        assertTrue(data.examples().stream().allMatch(e -> e.captions().isEmpty()));
        assertTrue(data.examples().stream().flatMap(e -> e.objects().stream()).noneMatch(AnnotatedObject::hasKeypoints));
        assertTrue(data.examples().stream().flatMap(e -> e.objects().stream()).allMatch(AnnotatedObject::hasMask));
    }

    // ---- hand-made files: one 40 x 20 image and one 10 x 10 image

    private Path images() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("images"));
        ImageIO.write(new BufferedImage(40, 20, BufferedImage.TYPE_INT_RGB), "png", folder.resolve("a.png").toFile());
        ImageIO.write(new BufferedImage(10, 10, BufferedImage.TYPE_INT_RGB), "png", folder.resolve("b.png").toFile());
        return folder;
    }

    private static final String IMAGES = "\"images\": [{\"id\": 1, \"file_name\": \"a.png\", \"width\": 40, \"height\": 20},"
            + " {\"id\": 2, \"file_name\": \"b.png\", \"width\": 10, \"height\": 10}]";
    private static final String CATEGORIES = "\"categories\": [{\"id\": 7, \"name\": \"thing\"}, {\"id\": 9, \"name\": \"person\"}]";

    private Path file(String name, String annotations) throws IOException {
        return Files.writeString(dir.resolve(name), "{" + IMAGES + ", " + CATEGORIES + ", \"annotations\": ["
                + annotations + "]}");
    }

    private static String keypoints(double x, double y) {
        StringBuilder values = new StringBuilder("[" + x + ", " + y + ", 2");
        for (int i = 1; i < 17; i++) {
            values.append(i == 16 ? ", 41, 5, 1" : ", 0, 0, 0");
        }
        return values.append("]").toString();
    }

    @Test
    void mergesKeypointsByIdAddsKeypointOnlyObjectsAndDropsCrowdsAndEmptyPolygons() throws IOException {
        Path instances = file("instances.json", String.join(", ",
                "{\"id\": 1, \"image_id\": 1, \"category_id\": 9, \"bbox\": [4, 2, 8, 10],"
                        + " \"segmentation\": [[4, 2, 12, 2, 12, 12], [41, 0, 45, 0, 45, 5]]}",
                "{\"id\": 2, \"image_id\": 1, \"category_id\": 7, \"bbox\": [0, 0, 40, 20], \"iscrowd\": 1}",
                // a non-crowd RLE mask on the 10 x 10 image: columns 2..4, rows 3..8
                "{\"id\": 3, \"image_id\": 2, \"category_id\": 7, \"bbox\": [2, 3, 3, 6],"
                        + " \"segmentation\": {\"size\": [10, 10], \"counts\": [23, 6, 4, 6, 4, 6, 51]}}"));
        Path keypointFile = file("keypoints.json", String.join(", ",
                "{\"id\": 1, \"image_id\": 1, \"category_id\": 9, \"bbox\": [4, 2, 8, 10], \"keypoints\": "
                        + keypoints(8, 5) + "}",
                "{\"id\": 50, \"image_id\": 2, \"category_id\": 9, \"bbox\": [1, 1, 5, 5], \"keypoints\": "
                        + keypoints(2, 3) + "}"));
        Path captions = Files.writeString(dir.resolve("captions.json"), "{" + IMAGES + ", \"annotations\": ["
                + "{\"id\": 1, \"image_id\": 2, \"caption\": \"a thing\"}]}");
        MultiTaskDataset data = MultiTaskData.load(new SplitFiles(images(), instances, keypointFile, captions),
                ImageInput.imageNet(8));
        assertEquals(List.of(7, 9), data.categoryIds());
        MultiTaskExample a = data.get(0);
        assertEquals(List.of(), a.captions());
        assertEquals(1, a.objects().size(), "the crowd region is dropped");
        AnnotatedObject person = a.objects().get(0);
        assertEquals(new TokenBox(0.1, 0.1, 0.6, 0.3, 1), person.box());
        assertEquals(List.of(new NormalizedPolygon(new double[] {0.1, 0.1, 0.3, 0.1, 0.3, 0.6})), person.polygons(),
                "the polygon right of the image clamps onto its edge, has no area and is dropped");
        assertEquals(new Keypoint(0.2, 0.25, 2), person.keypoints().get(0));
        assertEquals(new Keypoint(1, 0.25, 1), person.keypoints().get(16), "x 41 of 40 clamped");
        assertEquals(Keypoint.UNLABELLED, person.keypoints().get(1));

        MultiTaskExample b = data.get(1);
        assertEquals(List.of("a thing"), b.captions());
        assertEquals(2, b.objects().size());
        AnnotatedObject rle = b.objects().get(0);
        BinaryMask expected = new CocoRle(10, 10, new int[] {23, 6, 4, 6, 4, 6, 51})
                .toMask();
        assertEquals(18, expected.area());
        assertEquals(expected, PolygonRasterizer.rasterize(rle.polygons(), 10, 10), "RLE traced into polygons");
        assertEquals(List.of(), rle.keypoints());
        assertEquals(18, rle.area(), "area from the RLE when the file has none");
        AnnotatedObject keypointOnly = b.objects().get(1);
        assertEquals(new TokenBox(0.1, 0.1, 0.6, 0.6, 1), keypointOnly.box());
        assertEquals(new Keypoint(0.2, 0.3, 2), keypointOnly.keypoints().get(0));
        assertEquals(new Keypoint(1, 0.5, 1), keypointOnly.keypoints().get(16));
    }

    private String failure(SplitFiles files, String... fragments) {
        DatasetException e = assertThrows(DatasetException.class, () -> MultiTaskData.load(files,
                ImageInput.imageNet(8)));
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), "'" + fragment + "' missing from: " + e.getMessage());
        }
        return e.getMessage();
    }

    @Test
    void rejectsFilesThatDisagree() throws IOException {
        Path folder = images();
        Path instances = file("instances.json",
                "{\"id\": 1, \"image_id\": 1, \"category_id\": 9, \"bbox\": [4, 2, 8, 10]}");
        Path otherImage = file("k1.json", "{\"id\": 1, \"image_id\": 2, \"category_id\": 9, \"bbox\": [1, 1, 2, 2],"
                + " \"keypoints\": " + keypoints(2, 3) + "}");
        failure(new SplitFiles(folder, instances, otherImage, null), "k1.json: annotation id 1 (image id 2, category 9)",
                "does not match the annotation with that id in", "(image id 1, category 9)");
        Path fiveKeypoints = file("k2.json", "{\"id\": 1, \"image_id\": 1, \"category_id\": 9, \"bbox\": [1, 1, 2, 2],"
                + " \"keypoints\": [1, 1, 2, 2, 2, 2, 3, 3, 2, 4, 4, 2, 5, 5, 2]}");
        failure(new SplitFiles(folder, instances, fiveKeypoints, null), "k2.json: annotation id 1 has 5 keypoints");
        Path wrongSize = Files.writeString(dir.resolve("c1.json"), "{\"images\": [{\"id\": 2, \"file_name\": \"b.png\","
                + " \"width\": 12, \"height\": 10}], \"annotations\": [{\"id\": 1, \"image_id\": 2, \"caption\": \"x\"}]}");
        failure(new SplitFiles(folder, instances, null, wrongSize), "c1.json: image id 2 is 12x10 but 10x10 in the"
                + " instances file");
        Path unknownImage = Files.writeString(dir.resolve("c2.json"), "{\"images\": [{\"id\": 3, \"file_name\":"
                + " \"c.png\", \"width\": 10, \"height\": 10}], \"annotations\": []}");
        failure(new SplitFiles(folder, instances, null, unknownImage), "c2.json: image id 3 ('c.png') is not in the"
                + " instances file");
        Path otherCategory = Files.writeString(dir.resolve("k3.json"), "{" + IMAGES + ", \"categories\": [{\"id\": 11,"
                + " \"name\": \"dog\"}], \"annotations\": []}");
        failure(new SplitFiles(folder, instances, otherCategory, null), "k3.json: category 11 ('dog') is not among");
        failure(new SplitFiles(folder, instances, dir.resolve("none.json"), null), "none.json: annotation file not found");
        failure(new SplitFiles(folder, instances, null, dir.resolve("none.json")), "none.json: captions file not found");
        assertThrows(IllegalArgumentException.class, () -> new SplitFiles(folder, null, null, null));
    }
}
