package io.seqvision.tasks.data.coco;

import com.fasterxml.jackson.databind.JsonNode;
import io.seqvision.tasks.data.DatasetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Loads and validates a COCO instances file ({@code instances_*.json}, also {@code person_keypoints_*.json}).
 *
 * <p>Required: top-level arrays {@code images}, {@code categories}, {@code annotations}; per image {@code id},
 * {@code file_name}, {@code width}, {@code height}; per category {@code id}, {@code name}; per annotation
 * {@code id}, {@code image_id}, {@code category_id}, {@code bbox}. Optional: {@code segmentation} (a list of
 * polygons, where fragments of fewer than 3 points are dropped as having no area; or an RLE object
 * {@code {"size": [h, w], "counts": ...}}, counts as a run array or pycocotools' compressed string, kept as a
 * {@link CocoRle}), {@code area}, {@code iscrowd} (0 when absent), {@code keypoints}. Other keys
 * ({@code info}, {@code licenses}, ...) are ignored.
 *
 * <p>Every problem raises a {@link DatasetException} naming the file and the entry: malformed JSON (with line
 * and column), a missing or mistyped field, duplicate ids, an annotation whose image or category id is unknown,
 * a bbox that is not finite, has a non-positive size or leaves its image by more than
 * {@value #BOX_TOLERANCE} px, an RLE mask that is malformed (bad size, a character outside pycocotools'
 * alphabet, counts not summing to {@code h * w}) or whose size is not its image's, and an image file missing on
 * disk. The file is read as a stream, one entry at a time, so its JSON tree is never held whole.
 */
public final class CocoLoader {

    /** How far (in pixels) a bbox may reach beyond its image's edges, for rounding in other tools. */
    public static final double BOX_TOLERANCE = 1.0;

    private static final CocoJson.ArraySpec<CocoImage> IMAGES = new CocoJson.ArraySpec<>("images", CocoLoader::image);
    private static final CocoJson.ArraySpec<CocoCategory> CATEGORIES =
            new CocoJson.ArraySpec<>("categories", CocoLoader::category);
    private static final CocoJson.ArraySpec<CocoAnnotation> ANNOTATIONS =
            new CocoJson.ArraySpec<>("annotations", CocoLoader::annotation);

    private CocoLoader() {}

    /**
     * @param annotationFile the COCO JSON file
     * @param imageDir       the directory the images' {@code file_name}s are relative to
     * @return the validated content
     * @throws DatasetException if the file is unreadable or invalid, or an image is missing
     */
    public static CocoInstances loadInstances(Path annotationFile, Path imageDir) {
        if (!Files.isRegularFile(annotationFile)) {
            throw new DatasetException(annotationFile + ": annotation file not found");
        }
        if (!Files.isDirectory(imageDir)) {
            throw new DatasetException(annotationFile + ": image directory not found: " + imageDir);
        }
        CocoJson.Arrays arrays = CocoJson.read(annotationFile, List.of(IMAGES, CATEGORIES, ANNOTATIONS));
        List<CocoImage> images = arrays.require(IMAGES);
        List<CocoCategory> categories = arrays.require(CATEGORIES);
        List<CocoAnnotation> annotations = arrays.require(ANNOTATIONS);
        CocoJson.checkUnique(annotationFile, "image", images, CocoImage::id);
        CocoJson.checkUnique(annotationFile, "category", categories, c -> (long) c.id());
        CocoJson.checkUnique(annotationFile, "annotation", annotations, CocoAnnotation::id);
        CocoInstances instances = new CocoInstances(annotationFile, imageDir, images, categories, annotations);
        checkReferences(annotationFile, instances);
        for (CocoImage image : instances.images()) {
            if (!Files.isRegularFile(instances.imagePath(image))) {
                throw new DatasetException(annotationFile + ": image id " + image.id() + ": image file '"
                        + image.fileName() + "' not found in " + imageDir);
            }
        }
        return instances;
    }

    /** One {@code images} entry; shared with the captions loader. */
    static CocoImage image(EntryReader entry) {
        long id = entry.requireLong("id");
        entry.identify(id);
        String fileName = entry.requireText("file_name");
        int width = entry.requireInt("width");
        int height = entry.requireInt("height");
        if (width < 1 || height < 1) {
            throw entry.fail("image size must be positive, got " + width + "x" + height);
        }
        return new CocoImage(id, fileName, width, height);
    }

    private static CocoCategory category(EntryReader entry) {
        int id = entry.requireInt("id");
        entry.identify(id);
        return new CocoCategory(id, entry.requireText("name"));
    }

    private static CocoAnnotation annotation(EntryReader entry) {
        long id = entry.requireLong("id");
        entry.identify(id);
        long imageId = entry.requireLong("image_id");
        int categoryId = entry.requireInt("category_id");
        JsonNode box = entry.require("bbox");
        if (!box.isArray() || box.size() != 4 || !allNumbers(box)) {
            throw entry.fail("field 'bbox' must be an array of 4 numbers, got " + EntryReader.abbreviate(box));
        }
        CocoBox bbox = new CocoBox(box.get(0).asDouble(), box.get(1).asDouble(), box.get(2).asDouble(),
                box.get(3).asDouble());
        JsonNode segmentation = entry.has("segmentation") ? entry.require("segmentation") : null;
        CocoRle rle = segmentation != null && segmentation.isObject() ? rle(entry, segmentation) : null;
        List<CocoPolygon> polygons = segmentation != null && rle == null ? polygons(entry, segmentation) : List.of();
        double area;
        if (entry.has("area")) {
            area = entry.requireNumber("area");
        } else if (rle != null) {
            area = rle.area();
        } else {
            area = polygons.isEmpty() ? bbox.area() : polygons.stream().mapToDouble(CocoPolygon::area).sum();
        }
        boolean crowd = false;
        if (entry.has("iscrowd")) {
            JsonNode value = entry.require("iscrowd");
            if (value.isBoolean()) {
                crowd = value.asBoolean();
            } else if (EntryReader.isIntegral(value) && (value.asLong() == 0 || value.asLong() == 1)) {
                crowd = value.asLong() == 1;
            } else {
                throw entry.fail("field 'iscrowd' must be 0 or 1, got " + EntryReader.abbreviate(value));
            }
        }
        List<CocoKeypoint> keypoints = entry.has("keypoints") ? keypoints(entry) : List.of();
        return new CocoAnnotation(id, imageId, categoryId, bbox, polygons, area, crowd, keypoints, rle);
    }

    /** An RLE {@code segmentation}: {@code size} [h, w] and {@code counts} as a run array or compressed string. */
    private static CocoRle rle(EntryReader entry, JsonNode segmentation) {
        JsonNode size = segmentation.get("size");
        if (size == null || !size.isArray() || size.size() != 2 || !EntryReader.isIntegral(size.get(0))
                || !EntryReader.isIntegral(size.get(1)) || size.get(0).asLong() < 1 || size.get(1).asLong() < 1
                || size.get(0).asLong() > Integer.MAX_VALUE || size.get(1).asLong() > Integer.MAX_VALUE) {
            throw entry.fail("segmentation RLE 'size' must be [height, width] of positive integers, got "
                    + (size == null ? "nothing" : EntryReader.abbreviate(size)));
        }
        JsonNode countsNode = segmentation.get("counts");
        int[] counts;
        if (countsNode != null && countsNode.isTextual()) {
            try {
                counts = CocoRle.decodeCounts(countsNode.asText());
            } catch (IllegalArgumentException e) {
                throw entry.fail("segmentation RLE 'counts': " + e.getMessage());
            }
        } else if (countsNode != null && countsNode.isArray()) {
            counts = new int[countsNode.size()];
            for (int i = 0; i < counts.length; i++) {
                JsonNode run = countsNode.get(i);
                if (!EntryReader.isIntegral(run) || run.asLong() < 0 || run.asLong() > Integer.MAX_VALUE) {
                    throw entry.fail("segmentation RLE 'counts' run " + i + " must be a non-negative integer, got "
                            + EntryReader.abbreviate(run));
                }
                counts[i] = (int) run.asLong();
            }
        } else {
            throw entry.fail("segmentation RLE 'counts' must be an array of run lengths or a compressed string, got "
                    + (countsNode == null ? "nothing" : EntryReader.abbreviate(countsNode)));
        }
        try {
            return new CocoRle((int) size.get(0).asLong(), (int) size.get(1).asLong(), counts);
        } catch (IllegalArgumentException e) {
            throw entry.fail("segmentation RLE: " + e.getMessage());
        }
    }

    private static List<CocoPolygon> polygons(EntryReader entry, JsonNode segmentation) {
        if (!segmentation.isArray()) {
            throw entry.fail("field 'segmentation' must be a list of polygons or an RLE object, got "
                    + EntryReader.abbreviate(segmentation));
        }
        List<CocoPolygon> polygons = new ArrayList<>(segmentation.size());
        for (int p = 0; p < segmentation.size(); p++) {
            JsonNode polygon = segmentation.get(p);
            if (!polygon.isArray() || !allNumbers(polygon)) {
                throw entry.fail("segmentation polygon " + p + " must be an array of numbers, got "
                        + EntryReader.abbreviate(polygon));
            }
            if (polygon.size() % 2 == 0 && polygon.size() < 6) {
                continue; // a point or a line: no area; COCO has a few, and Detectron drops them too
            }
            double[] xy = new double[polygon.size()];
            for (int i = 0; i < xy.length; i++) {
                xy[i] = polygon.get(i).asDouble();
            }
            try {
                polygons.add(new CocoPolygon(xy));
            } catch (IllegalArgumentException e) {
                throw entry.fail("segmentation polygon " + p + ": " + e.getMessage());
            }
        }
        return polygons;
    }

    private static List<CocoKeypoint> keypoints(EntryReader entry) {
        JsonNode values = entry.require("keypoints");
        if (!values.isArray() || values.size() % 3 != 0 || !allNumbers(values)) {
            throw entry.fail("field 'keypoints' must be an array of (x, y, v) number triples, got "
                    + EntryReader.abbreviate(values));
        }
        List<CocoKeypoint> keypoints = new ArrayList<>(values.size() / 3);
        for (int i = 0; i < values.size(); i += 3) {
            double x = values.get(i).asDouble();
            double y = values.get(i + 1).asDouble();
            JsonNode v = values.get(i + 2);
            if (!Double.isFinite(x) || !Double.isFinite(y)
                    || !EntryReader.isIntegral(v) || v.asLong() < 0 || v.asLong() > 2) {
                throw entry.fail("keypoint " + i / 3 + " must have finite x, y and v in {0, 1, 2}, got ["
                        + values.get(i) + ", " + values.get(i + 1) + ", " + v + "]");
            }
            keypoints.add(new CocoKeypoint(x, y, v.asInt()));
        }
        return keypoints;
    }

    /** Image and category references of each annotation, and its box against its image. */
    private static void checkReferences(Path file, CocoInstances instances) {
        Map<Long, CocoImage> images = new HashMap<>();
        instances.images().forEach(image -> images.put(image.id(), image));
        Map<Integer, CocoCategory> categories = new HashMap<>();
        instances.categories().forEach(category -> categories.put(category.id(), category));
        for (CocoAnnotation annotation : instances.annotations()) {
            String entry = file + ": annotation id " + annotation.id();
            CocoImage image = images.get(annotation.imageId());
            if (image == null) {
                throw new DatasetException(entry + ": references unknown image id " + annotation.imageId());
            }
            String problem = boxProblem(annotation.bbox(), image);
            if (problem != null) {
                throw new DatasetException(entry + " (image id " + image.id() + ", " + image.width() + "x"
                        + image.height() + "): bbox " + annotation.bbox() + " " + problem);
            }
            CocoRle rle = annotation.rle();
            if (rle != null && (rle.height() != image.height() || rle.width() != image.width())) {
                throw new DatasetException(entry + " (image id " + image.id() + ", " + image.width() + "x"
                        + image.height() + "): segmentation RLE size [" + rle.height() + ", " + rle.width()
                        + "] (height, width) does not match its image");
            }
            if (!categories.containsKey(annotation.categoryId())) {
                throw new DatasetException(entry + ": unknown category id " + annotation.categoryId());
            }
        }
    }

    private static String boxProblem(CocoBox box, CocoImage image) {
        if (!Double.isFinite(box.x()) || !Double.isFinite(box.y()) || !Double.isFinite(box.width())
                || !Double.isFinite(box.height())) {
            return "has a non-finite value";
        }
        if (box.width() <= 0 || box.height() <= 0) {
            return "has a non-positive size";
        }
        if (box.x() < -BOX_TOLERANCE || box.y() < -BOX_TOLERANCE || box.x2() > image.width() + BOX_TOLERANCE
                || box.y2() > image.height() + BOX_TOLERANCE) {
            return "lies outside its image (tolerance " + BOX_TOLERANCE + " px)";
        }
        return null;
    }

    private static boolean allNumbers(JsonNode array) {
        for (JsonNode value : array) {
            if (!value.isNumber()) {
                return false;
            }
        }
        return true;
    }
}
