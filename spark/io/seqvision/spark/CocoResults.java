package io.seqvision.spark;

import static org.apache.spark.sql.functions.col;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.seqvision.tasks.storage.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Writes a prediction table as one COCO results JSON array that pycocotools' {@code loadRes}
 * reads for every iouType: one entry per detected object with {@code image_id},
 * {@code category_id}, {@code bbox} ([x, y, width, height]) and {@code score}, plus
 * {@code segmentation} (COCO compressed RLE, {@code {"size": [h, w], "counts": ...}}, the form
 * {@code loadRes} accepts for masks) where segmentation ran and {@code keypoints} (17 x [x, y, v],
 * v 2 for a point the model placed, 0 for an absent one) where it ran on the object.
 *
 * <p>Rows are streamed to the driver partition by partition in image-id order; the file is written
 * atomically. Rows without an image id (inputs without ids) or with an error are skipped.
 */
final class CocoResults {

    private CocoResults() {}

    /** @return the number of entries written */
    static long write(Dataset<Row> predictions, Map<String, Integer> categoryIds, Path target) {
        Dataset<Row> rows = predictions.filter(col("image_id").isNotNull().and(col("error").isNull()))
                .orderBy("image_id", "path");
        long[] written = {0};
        AtomicFiles.write(target, out -> {
            try (JsonGenerator json = new JsonFactory().createGenerator(out, JsonEncoding.UTF8)) {
                json.writeStartArray();
                Iterator<Row> it = rows.toLocalIterator();
                while (it.hasNext()) {
                    written[0] += writeImage(json, it.next(), categoryIds, target);
                }
                json.writeEndArray();
            }
        });
        return written[0];
    }

    private static int writeImage(JsonGenerator json, Row row, Map<String, Integer> categoryIds, Path target)
            throws IOException {
        Row detection = row.getAs("detection");
        if (detection == null) {
            return 0;
        }
        long imageId = row.getLong(row.fieldIndex("image_id"));
        Map<Integer, Row> masks = byObject(row, "segmentation");
        Map<Integer, Row> poses = byObject(row, "keypoints");
        List<Row> boxes = detection.getList(detection.fieldIndex("boxes"));
        for (int k = 0; k < boxes.size(); k++) {
            Row box = boxes.get(k);
            String className = box.getString(0);
            Integer categoryId = categoryIds.get(className);
            if (categoryId == null) {
                throw new IllegalArgumentException("cannot write " + target + ": class '" + className
                        + "' has no COCO category id; the categories given are " + new TreeMap<>(categoryIds));
            }
            double xmin = box.getDouble(3);
            double ymin = box.getDouble(4);
            json.writeStartObject();
            json.writeNumberField("image_id", imageId);
            json.writeNumberField("category_id", categoryId);
            json.writeArrayFieldStart("bbox");
            json.writeNumber(xmin);
            json.writeNumber(ymin);
            json.writeNumber(box.getDouble(5) - xmin);
            json.writeNumber(box.getDouble(6) - ymin);
            json.writeEndArray();
            json.writeNumberField("score", box.getDouble(2));
            Row mask = masks.get(k);
            if (mask != null) {
                // pycocotools' loadRes reads segmentation results as compressed RLE only
                Row rle = mask.getAs("rle");
                json.writeObjectFieldStart("segmentation");
                json.writeArrayFieldStart("size");
                for (Object v : asList(rle.get(rle.fieldIndex("size")))) {
                    json.writeNumber((Integer) v);
                }
                json.writeEndArray();
                json.writeStringField("counts", rle.getString(rle.fieldIndex("counts")));
                json.writeEndObject();
            }
            Row pose = poses.get(k);
            if (pose != null) {
                json.writeArrayFieldStart("keypoints");
                for (Row p : pose.<Row>getList(pose.fieldIndex("points"))) {
                    json.writeNumber(p.getDouble(1));
                    json.writeNumber(p.getDouble(2));
                    json.writeNumber(p.getBoolean(3) ? 2 : 0);
                }
                json.writeEndArray();
            }
            json.writeEndObject();
        }
        return boxes.size();
    }

    private static Map<Integer, Row> byObject(Row row, String column) {
        Map<Integer, Row> byObject = new HashMap<>();
        int index = row.fieldIndex(column);
        if (!row.isNullAt(index)) {
            for (Row entry : row.<Row>getList(index)) {
                byObject.put(entry.getInt(0), entry);
            }
        }
        return byObject;
    }

    private static List<?> asList(Object array) {
        return array instanceof List<?> list ? list
                : scala.jdk.javaapi.CollectionConverters.asJava((scala.collection.Seq<?>) array);
    }
}
