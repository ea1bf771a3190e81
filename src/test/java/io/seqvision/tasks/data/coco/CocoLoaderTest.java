package io.seqvision.tasks.data.coco;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqvision.tasks.data.DatasetException;
import io.seqvision.tokenizers.BinaryMask;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CocoLoaderTest {

    private static final String IMAGES = """
            "images": [{"id": 1, "file_name": "a.png", "width": 100, "height": 80},
                       {"id": 2, "file_name": "b.png", "width": 50, "height": 60}]""";
    private static final String CATEGORIES = """
            "categories": [{"id": 1, "name": "circle", "supercategory": "shape"}, {"id": 5, "name": "person"}]""";

    @TempDir
    Path dir;
    private Path images;
    private Path file;

    @BeforeEach
    void createImages() throws IOException {
        images = Files.createDirectories(dir.resolve("images"));
        Files.write(images.resolve("a.png"), new byte[] {1});
        Files.write(images.resolve("b.png"), new byte[] {1});
        file = dir.resolve("instances_test.json");
    }

    private CocoInstances load(String json) throws IOException {
        Files.writeString(file, json);
        return CocoLoader.loadInstances(file, images);
    }

    private static String withAnnotations(String annotations) {
        return "{" + IMAGES + ",\n" + CATEGORIES + ",\n\"annotations\": [" + annotations + "]}";
    }

    private static String annotation(long id, long imageId, int categoryId, String bbox) {
        return "{\"id\": " + id + ", \"image_id\": " + imageId + ", \"category_id\": " + categoryId + ", \"bbox\": "
                + bbox + ", \"area\": 12.5, \"iscrowd\": 0}";
    }

    /** Loading fails, and the message names the file and each given fragment. */
    private String failure(String json, String... fragments) {
        DatasetException e = assertThrows(DatasetException.class, () -> load(json));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), "'" + fragment + "' missing from: " + e.getMessage());
        }
        return e.getMessage();
    }

    @Test
    void loadsValidFileIgnoringExtraKeys() throws IOException {
        String json = "{\"info\": {\"year\": 2017}, \"licenses\": [{\"id\": 1}], " + IMAGES + ", " + CATEGORIES
                + ", \"annotations\": [{\"id\": 7, \"image_id\": 1, \"category_id\": 5, \"bbox\": [-0.5, 10, 100.5, 20],"
                + " \"segmentation\": [[0, 10, 20, 10, 20, 30], [30, 10, 40, 10, 40, 20, 30, 20]], \"area\": 250,"
                + " \"iscrowd\": 0, \"keypoints\": [5, 12, 2, 0, 0, 0], \"num_keypoints\": 1, \"extra\": [1, 2]},"
                + " {\"id\": 8, \"image_id\": 1, \"category_id\": 1, \"bbox\": [1, 2, 3, 4],"
                + " \"segmentation\": {\"counts\": [0, 5, 7995], \"size\": [80, 100]}, \"area\": 12, \"iscrowd\": 1}]}";
        CocoInstances coco = load(json);
        assertEquals(2, coco.images().size());
        assertEquals(2, coco.annotations().size());
        assertEquals(new CocoCategory(5, "person"), coco.category(5));
        assertEquals(images.resolve("b.png"), coco.imagePath(coco.image(2)));
        assertEquals(List.of(), coco.annotationsOf(2));
        CocoAnnotation person = coco.annotationsOf(1).get(0);
        assertEquals(new CocoBox(-0.5, 10, 100.5, 20), person.bbox());
        assertEquals(100, person.bbox().x2());
        assertEquals(List.of(new CocoPolygon(new double[] {0, 10, 20, 10, 20, 30}),
                new CocoPolygon(new double[] {30, 10, 40, 10, 40, 20, 30, 20})), person.polygons());
        assertEquals(200, person.polygons().get(0).area());
        assertEquals(List.of(new CocoKeypoint(5, 12, 2), new CocoKeypoint(0, 0, 0)), person.keypoints());
        assertEquals(1, person.labelledKeypoints());
        assertEquals(250, person.area());
        CocoAnnotation crowd = coco.annotationsOf(1).get(1);
        assertTrue(crowd.crowd());
        assertEquals(List.of(), crowd.polygons(), "RLE is kept as an RLE, not polygons");
        assertEquals(new CocoRle(80, 100, new int[] {0, 5, 7995}), crowd.rle());
        assertTrue(crowd.hasRle());
        assertTrue(!person.hasRle());
        assertEquals(file, coco.annotationFile());
    }

    @Test
    void missingOptionalFieldsGetDefaults() throws IOException {
        CocoAnnotation a = load(withAnnotations("{\"id\": 3, \"image_id\": 2, \"category_id\": 1,"
                + " \"bbox\": [1, 1, 4, 5]}")).annotations().get(0);
        assertEquals(20, a.area(), "box area without area or polygons");
        assertEquals(false, a.crowd());
        assertEquals(List.of(), a.polygons());
        assertEquals(List.of(), a.keypoints());
    }

    @Test
    void malformedJsonNamesLineAndColumn() {
        failure("{\"images\": [\n  {\"id\": 1,, }]}", "malformed JSON", "line 2", "column");
    }

    @Test
    void missingTopLevelSection() {
        failure("{" + IMAGES + ", \"annotations\": []}", "missing required top-level field 'categories'");
    }

    @Test
    void missingImageField() {
        failure("{\"images\": [{\"id\": 4, \"width\": 3, \"height\": 3}], " + CATEGORIES + ", \"annotations\": []}",
                "images[0] (id 4)", "missing required field 'file_name'");
    }

    @Test
    void missingAnnotationField() {
        failure(withAnnotations(annotation(9, 1, 1, "[1, 1, 2, 2]") + ", {\"id\": 10, \"image_id\": 1, \"bbox\": [1, 1, 2, 2]}"),
                "annotations[1] (id 10)", "missing required field 'category_id'");
    }

    @Test
    void mistypedField() {
        failure("{\"images\": [{\"id\": 4, \"file_name\": \"a.png\", \"width\": \"wide\", \"height\": 3}], "
                + CATEGORIES + ", \"annotations\": []}", "images[0] (id 4)", "'width' must be an integer", "\"wide\"");
    }

    @Test
    void imageFileMissingOnDisk() throws IOException {
        Files.delete(images.resolve("b.png"));
        failure(withAnnotations(""), "image id 2", "'b.png'", "not found in " + images);
    }

    @Test
    void boxOutsideItsImage() {
        failure(withAnnotations(annotation(11, 1, 1, "[90, 10, 12, 20]")),
                "annotation id 11", "image id 1", "100x80", "[90.0, 10.0, 12.0, 20.0]", "outside its image");
    }

    @Test
    void boxWithNonPositiveSize() {
        failure(withAnnotations(annotation(12, 2, 1, "[5, 5, 0, 3]")),
                "annotation id 12", "image id 2", "[5.0, 5.0, 0.0, 3.0]", "non-positive size");
    }

    @Test
    void boxWithNaN() {
        failure(withAnnotations(annotation(13, 2, 1, "[5, NaN, 3, 3]")),
                "annotation id 13", "image id 2", "[5.0, NaN, 3.0, 3.0]", "non-finite");
    }

    @Test
    void boxThatIsNotFourNumbers() {
        failure(withAnnotations(annotation(14, 2, 1, "[5, 5, 3]")), "annotations[0] (id 14)", "'bbox' must be");
    }

    @Test
    void unknownCategory() {
        failure(withAnnotations(annotation(15, 1, 99, "[1, 1, 2, 2]")), "annotation id 15", "unknown category id 99");
    }

    @Test
    void unknownImage() {
        failure(withAnnotations(annotation(16, 42, 1, "[1, 1, 2, 2]")), "annotation id 16",
                "references unknown image id 42");
    }

    @Test
    void duplicateImageId() {
        failure("{\"images\": [{\"id\": 1, \"file_name\": \"a.png\", \"width\": 3, \"height\": 3},"
                + " {\"id\": 1, \"file_name\": \"b.png\", \"width\": 3, \"height\": 3}], " + CATEGORIES
                + ", \"annotations\": []}", "duplicate image id 1", "images[0] and images[1]");
    }

    @Test
    void duplicateAnnotationId() {
        failure(withAnnotations(annotation(17, 1, 1, "[1, 1, 2, 2]") + ", " + annotation(17, 2, 1, "[1, 1, 2, 2]")),
                "duplicate annotation id 17", "annotations[0] and annotations[1]");
    }

    @Test
    void duplicateCategoryId() {
        failure("{" + IMAGES + ", \"categories\": [{\"id\": 3, \"name\": \"x\"}, {\"id\": 3, \"name\": \"y\"}],"
                + " \"annotations\": []}", "duplicate category id 3", "categories[0] and categories[1]");
    }

    @Test
    void badPolygon() {
        failure(withAnnotations("{\"id\": 18, \"image_id\": 1, \"category_id\": 1, \"bbox\": [1, 1, 2, 2],"
                + " \"segmentation\": [[1, 1, 2, 2, 3]]}"), "annotations[0] (id 18)", "segmentation polygon 0",
                "got 5");
    }

    @Test
    void polygonFragmentsOfFewerThanThreePointsAreDropped() throws IOException {
        CocoAnnotation a = load(withAnnotations("{\"id\": 18, \"image_id\": 1, \"category_id\": 1, \"bbox\": [1, 1, 2, 2],"
                + " \"segmentation\": [[26, 31, 50, 31], [1, 1, 3, 1, 3, 3], [], [4, 4]]}")).annotations().get(0);
        assertEquals(List.of(new CocoPolygon(new double[] {1, 1, 3, 1, 3, 3})), a.polygons());
    }

    @Test
    void badKeypoints() {
        failure(withAnnotations("{\"id\": 19, \"image_id\": 1, \"category_id\": 5, \"bbox\": [1, 1, 2, 2],"
                + " \"keypoints\": [1, 1, 7]}"), "annotations[0] (id 19)", "keypoint 0", "v in {0, 1, 2}");
    }

    @Test
    void missingAnnotationFile() {
        DatasetException e = assertThrows(DatasetException.class,
                () -> CocoLoader.loadInstances(dir.resolve("nope.json"), images));
        assertTrue(e.getMessage().contains("nope.json") && e.getMessage().contains("not found"), e.getMessage());
    }

    @Test
    void lookupsRejectUnknownIds() throws IOException {
        CocoInstances coco = load(withAnnotations(""));
        assertThrows(IllegalArgumentException.class, () -> coco.category(2));
        assertThrows(IllegalArgumentException.class, () -> coco.annotationsOf(3));
    }

    @Test
    void polygonIsImmutableAndComparedByValue() {
        double[] xy = {0, 0, 4, 0, 4, 3};
        CocoPolygon polygon = new CocoPolygon(xy);
        xy[0] = 99;
        assertEquals(0, polygon.x(0));
        polygon.coordinates()[1] = 99;
        assertEquals(0, polygon.y(0));
        assertEquals(new CocoPolygon(new double[] {0, 0, 4, 0, 4, 3}), polygon);
        assertEquals(new CocoPolygon(new double[] {0, 0, 4, 0, 4, 3}).hashCode(), polygon.hashCode());
        assertEquals(6, polygon.area());
        assertEquals(new CocoBox(0, 0, 4, 3), polygon.bounds());
        assertThrows(IllegalArgumentException.class, () -> new CocoPolygon(new double[] {0, 0, 1, 1}));
    }

    private static String rleAnnotation(long id, String segmentation) {
        return "{\"id\": " + id + ", \"image_id\": 1, \"category_id\": 1, \"bbox\": [0, 10, 1, 5],"
                + " \"segmentation\": " + segmentation + ", \"iscrowd\": 1}";
    }

    @Test
    void decodesCompressedRleAndTakesItsAreaWhenTheFileHasNone() throws IOException {
        // pycocotools: frPyObjects({"size": [80, 100], "counts": [10, 5, 7985]}) gives ':5ai7', pixels (x 0, y 10..14)
        CocoAnnotation a = load(withAnnotations(rleAnnotation(9, "{\"size\": [80, 100], \"counts\": \":5ai7\"}")))
                .annotations().get(0);
        assertEquals(new CocoRle(80, 100, new int[] {10, 5, 7985}), a.rle());
        assertEquals(5, a.area());
        BinaryMask mask = a.rle().toMask();
        assertEquals(100, mask.width());
        assertEquals(80, mask.height());
        assertTrue(mask.get(0, 10) && mask.get(0, 14) && !mask.get(0, 15) && !mask.get(1, 10));
    }

    @Test
    void rejectsMalformedRleNamingFileAndAnnotation() {
        failure(withAnnotations(rleAnnotation(21, "{\"size\": [80, 100], \"counts\": [10, 5, 7000]}")),
                "annotations[0] (id 21)", "RLE", "sum to 7015 but size [80, 100] has 8000 pixels");
        failure(withAnnotations(rleAnnotation(22, "{\"size\": [80, 100], \"counts\": \":5a i7\"}")),
                "annotations[0] (id 22)", "invalid character ' ' at position 3");
        failure(withAnnotations(rleAnnotation(23, "{\"size\": [80, 100], \"counts\": \":5a\"}")),
                "annotations[0] (id 23)", "ends inside run 2");
        failure(withAnnotations(rleAnnotation(24, "{\"counts\": [8000]}")),
                "annotations[0] (id 24)", "'size' must be [height, width]");
        failure(withAnnotations(rleAnnotation(25, "{\"size\": [80, 100], \"counts\": [10, -5, 7995]}")),
                "annotations[0] (id 25)", "run 1 must be a non-negative integer");
        failure(withAnnotations(rleAnnotation(26, "{\"size\": [80, 100], \"counts\": 8000}")),
                "annotations[0] (id 26)", "'counts' must be an array of run lengths or a compressed string");
        // consistent on its own, but the image is 100 x 80: size [100, 80] has the sides swapped
        failure(withAnnotations(rleAnnotation(27, "{\"size\": [100, 80], \"counts\": [8000]}")),
                "annotation id 27", "image id 1, 100x80", "RLE size [100, 80] (height, width) does not match");
    }
}
