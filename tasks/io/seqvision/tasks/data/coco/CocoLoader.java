package io.seqvision.tasks.data.coco;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.seqvision.tasks.data.DatasetException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Loads and validates a COCO instances file ({@code instances_*.json}, also {@code person_keypoints_*.json}).
 *
 * <p>Required: top-level arrays {@code images}, {@code categories}, {@code annotations}; per image {@code id},
 * {@code file_name}, {@code width}, {@code height}; per category {@code id}, {@code name}; per annotation
 * {@code id}, {@code image_id}, {@code category_id}, {@code bbox}. Optional: {@code segmentation} (a list of
 * polygons, or an RLE object, accepted and kept as no polygons: RLE decoding comes with the multi-task issue),
 * {@code area}, {@code iscrowd} (0 when absent), {@code keypoints}. Other keys ({@code info}, {@code licenses},
 * ...) are ignored.
 *
 * <p>Every problem raises a {@link DatasetException} naming the file and the entry: malformed JSON (with line
 * and column), a missing or mistyped field, duplicate ids, an annotation whose image or category id is unknown,
 * a bbox that is not finite, has a non-positive size or leaves its image by more than
 * {@value #BOX_TOLERANCE} px, and an image file missing on disk. The file is read as a stream, one entry at a
 * time, so its JSON tree is never held whole.
 */
public final class CocoLoader {

    /** How far (in pixels) a bbox may reach beyond its image's edges, for rounding in other tools. */
    public static final double BOX_TOLERANCE = 1.0;

    // Python's json module writes NaN and Infinity; reading them lets the bbox check report them clearly
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();

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
        Sections sections = readSections(annotationFile);
        CocoInstances instances = new CocoInstances(annotationFile, imageDir, sections.images, sections.categories,
                sections.annotations);
        checkReferences(annotationFile, instances);
        for (CocoImage image : instances.images()) {
            if (!Files.isRegularFile(instances.imagePath(image))) {
                throw new DatasetException(annotationFile + ": image id " + image.id() + ": image file '"
                        + image.fileName() + "' not found in " + imageDir);
            }
        }
        return instances;
    }

    /** The three arrays, each entry checked on its own; ids checked for duplicates. */
    private static final class Sections {
        List<CocoImage> images;
        List<CocoCategory> categories;
        List<CocoAnnotation> annotations;
    }

    private static Sections readSections(Path file) {
        Sections sections = new Sections();
        try (JsonParser parser = JSON.createParser(file.toFile())) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new DatasetException(file + ": the top level must be a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (field) {
                    case "images" -> sections.images = readArray(parser, file, field, value, CocoLoader::image);
                    case "categories" -> sections.categories =
                            readArray(parser, file, field, value, CocoLoader::category);
                    case "annotations" -> sections.annotations =
                            readArray(parser, file, field, value, CocoLoader::annotation);
                    default -> parser.skipChildren();
                }
            }
            if (parser.nextToken() != null) {
                throw new DatasetException(file + ": unexpected content after the top-level object at "
                        + where(parser.currentLocation()));
            }
        } catch (JsonProcessingException e) {
            throw new DatasetException(file + ": malformed JSON at " + where(e.getLocation()) + ": "
                    + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new DatasetException(file + ": cannot read: " + e.getMessage(), e);
        }
        requireSection(file, "images", sections.images);
        requireSection(file, "categories", sections.categories);
        requireSection(file, "annotations", sections.annotations);
        checkUnique(file, "image", sections.images, CocoImage::id);
        checkUnique(file, "category", sections.categories, c -> (long) c.id());
        checkUnique(file, "annotation", sections.annotations, CocoAnnotation::id);
        return sections;
    }

    private static void requireSection(Path file, String name, List<?> section) {
        if (section == null) {
            throw new DatasetException(file + ": missing required top-level field '" + name + "'");
        }
    }

    /** Turns one array entry into a record. */
    @FunctionalInterface
    private interface EntryParser<T> {
        T parse(EntryReader entry);
    }

    private static <T> List<T> readArray(JsonParser parser, Path file, String field, JsonToken start,
            EntryParser<T> entryParser) throws IOException {
        if (start != JsonToken.START_ARRAY) {
            throw new DatasetException(file + ": top-level field '" + field + "' must be an array, got " + start
                    + " at " + where(parser.currentLocation()));
        }
        List<T> entries = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            JsonNode node = parser.readValueAsTree();
            entries.add(entryParser.parse(new EntryReader(file, field, entries.size(), node)));
        }
        return entries;
    }

    private static CocoImage image(EntryReader entry) {
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
        List<CocoPolygon> polygons = entry.has("segmentation") ? polygons(entry) : List.of();
        double area;
        if (entry.has("area")) {
            area = entry.requireNumber("area");
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
        return new CocoAnnotation(id, imageId, categoryId, bbox, polygons, area, crowd, keypoints);
    }

    private static List<CocoPolygon> polygons(EntryReader entry) {
        JsonNode segmentation = entry.require("segmentation");
        if (segmentation.isObject()) {
            return List.of(); // RLE: decoded once masks are needed
        }
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

    private static <T> void checkUnique(Path file, String kind, List<T> entries,
            Function<T, Long> id) {
        Map<Long, Integer> firstIndex = new HashMap<>();
        String section = kind.equals("category") ? "categories" : kind + "s";
        for (int i = 0; i < entries.size(); i++) {
            Integer previous = firstIndex.putIfAbsent(id.apply(entries.get(i)), i);
            if (previous != null) {
                throw new DatasetException(file + ": duplicate " + kind + " id " + id.apply(entries.get(i)) + " ("
                        + section + "[" + previous + "] and " + section + "[" + i + "])");
            }
        }
    }

    private static boolean allNumbers(JsonNode array) {
        for (JsonNode value : array) {
            if (!value.isNumber()) {
                return false;
            }
        }
        return true;
    }

    private static String where(JsonLocation location) {
        return location == null ? "unknown position"
                : "line " + location.getLineNr() + ", column " + location.getColumnNr();
    }
}
