package io.seqvision.tasks.data.shapes;

import io.seqvision.tasks.storage.AtomicFiles;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes one split's scenes as the three COCO files: {@code instances_<split>.json} (all categories),
 * {@code person_keypoints_<split>.json} (persons only, with keypoints) and {@code captions_<split>.json}.
 * Image ids are 1-based indices within the split; annotation ids count up from 1 in image order.
 */
final class CocoShapesWriter {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final long seed;

    /** The options' layout when it is not the defaults' (null otherwise: written only when it differs). */
    private final String layout;

    CocoShapesWriter(long seed, String layout) {
        this.seed = seed;
        this.layout = layout;
    }

    static String fileName(int imageId) {
        return String.format("%06d.png", imageId);
    }

    void write(Path annotationDir, String split, List<Scene> scenes) throws IOException {
        ObjectNode instances = header(split, scenes);
        ObjectNode keypoints = header(split, scenes);
        ObjectNode captions = header(split, scenes);
        ArrayNode instanceList = instances.putArray("annotations");
        ArrayNode keypointList = keypoints.putArray("annotations");
        ArrayNode captionList = captions.putArray("annotations");
        long annotationId = 0;
        long captionId = 0;
        for (int i = 0; i < scenes.size(); i++) {
            int imageId = i + 1;
            for (SceneObject object : scenes.get(i).objects()) {
                annotationId++;
                ObjectNode annotation = instance(annotationId, imageId, object);
                instanceList.add(annotation);
                if (object.keypoints() != null) {
                    ObjectNode withKeypoints = annotation.deepCopy();
                    ArrayNode values = withKeypoints.putArray("keypoints");
                    int labelled = 0;
                    double[] kp = object.keypoints();
                    for (int k = 0; k < kp.length; k += 3) {
                        values.add(kp[k]).add(kp[k + 1]).add((int) kp[k + 2]);
                        labelled += kp[k + 2] > 0 ? 1 : 0;
                    }
                    withKeypoints.put("num_keypoints", labelled);
                    keypointList.add(withKeypoints);
                }
            }
            for (String caption : scenes.get(i).captions()) {
                captionList.addObject().put("id", ++captionId).put("image_id", imageId).put("caption", caption);
            }
        }
        ArrayNode allCategories = instances.putArray("categories");
        for (ShapeCategory category : ShapeCategory.values()) {
            allCategories.add(category(category));
        }
        ObjectNode person = keypoints.putArray("categories").addObject();
        person.setAll(category(ShapeCategory.PERSON));
        ArrayNode names = person.putArray("keypoints");
        StickFigure.KEYPOINT_NAMES.forEach(names::add);
        ArrayNode skeleton = person.putArray("skeleton");
        for (int[] bone : io.seqvision.tokenizers.CocoKeypoints.skeleton()) {
            skeleton.addArray().add(bone[0] + 1).add(bone[1] + 1);
        }
        writeJson(annotationDir.resolve("instances_" + split + ".json"), instances);
        writeJson(annotationDir.resolve("person_keypoints_" + split + ".json"), keypoints);
        writeJson(annotationDir.resolve("captions_" + split + ".json"), captions);
    }

    /** The generator version, seed and image count an annotation file was written with. */
    record Header(String version, long seed, int images, String layout) {}

    /**
     * Reads {@code info} and counts {@code images} with a streaming parser (the annotations after
     * them are skipped unread).
     *
     * @throws IOException when the file cannot be read or is not a COCO object
     */
    static Header readHeader(Path file) throws IOException {
        String version = "none";
        long seed = -1;
        String layout = ShapesOptions.defaults().layout();
        int images = -1;
        try (com.fasterxml.jackson.core.JsonParser parser = JSON.getFactory().createParser(file.toFile())) {
            if (parser.nextToken() != com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
                throw new IOException(file + " is not a JSON object");
            }
            while (parser.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME
                    && (images < 0 || "none".equals(version))) {
                String field = parser.currentName();
                parser.nextToken();
                if (field.equals("info")) {
                    com.fasterxml.jackson.databind.JsonNode info = JSON.readTree(parser);
                    version = info.path("version").asText("none");
                    seed = info.path("seed").asLong(-1);
                    layout = info.path("layout").asText(ShapesOptions.defaults().layout());
                } else if (field.equals("images") && parser.currentToken().isStructStart()) {
                    images = 0;
                    while (parser.nextToken() != com.fasterxml.jackson.core.JsonToken.END_ARRAY) {
                        parser.skipChildren();
                        images++;
                    }
                } else {
                    parser.skipChildren();
                }
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException(file + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
        return new Header(version, seed, images, layout);
    }

    private ObjectNode header(String split, List<Scene> scenes) {
        ObjectNode root = JSON.createObjectNode();
        root.putObject("info")
                .put("description", "seqvision synthetic shapes, split " + split)
                .put("version", ShapesGenerator.VERSION)
                .put("seed", seed);
        if (layout != null) {
            ((ObjectNode) root.get("info")).put("layout", layout);
        }
        root.putArray("licenses");
        ArrayNode images = root.putArray("images");
        for (int i = 0; i < scenes.size(); i++) {
            images.addObject()
                    .put("id", i + 1)
                    .put("file_name", fileName(i + 1))
                    .put("width", scenes.get(i).width())
                    .put("height", scenes.get(i).height());
        }
        return root;
    }

    private static ObjectNode instance(long id, int imageId, SceneObject object) {
        ObjectNode annotation = JSON.createObjectNode();
        annotation.put("id", id).put("image_id", imageId).put("category_id", object.category().cocoId());
        ArrayNode bbox = annotation.putArray("bbox");
        for (double v : object.bbox()) {
            bbox.add(v);
        }
        ArrayNode segmentation = annotation.putArray("segmentation");
        for (double[] polygon : object.polygons()) {
            ArrayNode flat = segmentation.addArray();
            for (double v : polygon) {
                flat.add(v);
            }
        }
        annotation.put("area", Polygons.round2(object.area()));
        annotation.put("iscrowd", 0);
        return annotation;
    }

    private static ObjectNode category(ShapeCategory category) {
        return JSON.createObjectNode()
                .put("id", category.cocoId())
                .put("name", category.cocoName())
                .put("supercategory", category.supercategory());
    }

    private static void writeJson(Path target, ObjectNode root) throws IOException {
        AtomicFiles.write(target, out -> JSON.writeValue(out, root));
    }
}
