package io.seqvision.spark;

import io.seqvision.decoder.generate.GeneratedSequence;
import io.seqvision.tasks.TaskKind;
import io.seqvision.tasks.api.Analysis;
import io.seqvision.tasks.api.AnalyzedObject;
import io.seqvision.tasks.api.Detection;
import io.seqvision.tasks.api.PosePoint;
import io.seqvision.tasks.data.coco.CocoRle;
import io.seqvision.tokenizers.PolygonRasterizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The output table: one row per image, the results of each task in a nested column of its own
 * (null when the task was not asked, or when the image could not be read: then {@code error}
 * says why). Coordinates are pixels of the original image.
 *
 * <pre>
 * path STRING, image_id BIGINT (null unless the input has ids), width INT, height INT, error STRING,
 * detection    STRUCT&lt;boxes: ARRAY&lt;STRUCT&lt;class_name, class_index, score, xmin, ymin, xmax, ymax&gt;&gt;,
 *                     tokens: ARRAY&lt;INT&gt;, probabilities: ARRAY&lt;FLOAT&gt;, ended: BOOLEAN&gt;
 * segmentation ARRAY&lt;STRUCT&lt;object: INT, polygons: ARRAY&lt;ARRAY&lt;DOUBLE&gt;&gt; (x0, y0, x1, y1, ...), tokens,
 *                     rle: STRUCT&lt;size: ARRAY&lt;INT&gt; (height, width), counts: STRING (COCO compressed)&gt;&gt;&gt;
 * keypoints    ARRAY&lt;STRUCT&lt;object: INT, points: ARRAY&lt;STRUCT&lt;name, x, y, visible&gt;&gt; (17, COCO order), tokens&gt;&gt;
 * captioning   STRUCT&lt;text: STRING, tokens: ARRAY&lt;INT&gt;&gt;
 * </pre>
 *
 * {@code object} indexes {@code detection.boxes}: segmentation and keypoints are prompted by those
 * boxes, which are filled whenever one of the three object tasks ran.
 */
final class PredictionRows {

    static final StructType BOX = new StructType()
            .add("class_name", DataTypes.StringType, false)
            .add("class_index", DataTypes.IntegerType, false)
            .add("score", DataTypes.DoubleType, false)
            .add("xmin", DataTypes.DoubleType, false)
            .add("ymin", DataTypes.DoubleType, false)
            .add("xmax", DataTypes.DoubleType, false)
            .add("ymax", DataTypes.DoubleType, false);
    static final StructType DETECTION = new StructType()
            .add("boxes", DataTypes.createArrayType(BOX, false), false)
            .add("tokens", ints(), false)
            .add("probabilities", DataTypes.createArrayType(DataTypes.FloatType, false), false)
            .add("ended", DataTypes.BooleanType, false);
    /** COCO's compressed RLE of a mask ({@code size} is [height, width], as COCO writes it). */
    static final StructType RLE = new StructType()
            .add("size", ints(), false)
            .add("counts", DataTypes.StringType, false);
    static final StructType MASK = new StructType()
            .add("object", DataTypes.IntegerType, false)
            .add("polygons", DataTypes.createArrayType(DataTypes.createArrayType(DataTypes.DoubleType, false), false),
                    false)
            .add("tokens", ints(), false)
            .add("rle", RLE, false);
    static final StructType POINT = new StructType()
            .add("name", DataTypes.StringType, false)
            .add("x", DataTypes.DoubleType, false)
            .add("y", DataTypes.DoubleType, false)
            .add("visible", DataTypes.BooleanType, false);
    static final StructType POSE = new StructType()
            .add("object", DataTypes.IntegerType, false)
            .add("points", DataTypes.createArrayType(POINT, false), false)
            .add("tokens", ints(), false);
    static final StructType CAPTION = new StructType()
            .add("text", DataTypes.StringType, false)
            .add("tokens", ints(), false);

    static final StructType SCHEMA = new StructType(new StructField[] {
        field("path", DataTypes.StringType),
        field("image_id", DataTypes.LongType),
        field("width", DataTypes.IntegerType),
        field("height", DataTypes.IntegerType),
        field("error", DataTypes.StringType),
        field("detection", DETECTION),
        field("segmentation", DataTypes.createArrayType(MASK, false)),
        field("keypoints", DataTypes.createArrayType(POSE, false)),
        field("captioning", CAPTION),
    });

    private PredictionRows() {}

    /** The row of an image the model analysed for {@code tasks}. */
    static Row of(String path, Long imageId, Analysis analysis, Set<TaskKind> tasks) {
        List<Row> boxes = new ArrayList<>();
        List<Row> masks = new ArrayList<>();
        List<Row> poses = new ArrayList<>();
        List<AnalyzedObject> objects = analysis.objects();
        for (int k = 0; k < objects.size(); k++) {
            AnalyzedObject object = objects.get(k);
            Detection d = object.detection();
            boxes.add(RowFactory.create(d.className(), d.classIndex(), d.score(), d.xmin(), d.ymin(), d.xmax(),
                    d.ymax()));
            if (tasks.contains(TaskKind.SEGMENTATION)) {
                CocoRle rle = CocoRle.of(PolygonRasterizer.rasterizePixels(object.polygons(), analysis.imageWidth(),
                        analysis.imageHeight()));
                masks.add(RowFactory.create(k, seq(object.polygons().stream().map(p -> seq(boxed(p))).toList()),
                        seq(boxed(object.maskTokens())), RowFactory.create(
                                seq(List.of(rle.height(), rle.width())), rle.compressedCounts())));
            }
            if (tasks.contains(TaskKind.KEYPOINTS) && !object.keypoints().isEmpty()) {
                List<Row> points = new ArrayList<>();
                for (PosePoint p : object.keypoints()) {
                    points.add(RowFactory.create(p.name(), p.x(), p.y(), p.visible()));
                }
                poses.add(RowFactory.create(k, seq(points), seq(boxed(object.keypointTokens()))));
            }
        }
        boolean objectTasks = tasks.contains(TaskKind.DETECTION) || tasks.contains(TaskKind.SEGMENTATION)
                || tasks.contains(TaskKind.KEYPOINTS);
        GeneratedSequence detected = analysis.detectionSequence();
        Row detection = objectTasks ? RowFactory.create(seq(boxes), seq(boxed(detected.tokens())),
                seq(boxed(detected.probabilities())), detected.ended()) : null;
        Row caption = tasks.contains(TaskKind.CAPTIONING)
                ? RowFactory.create(analysis.caption(), seq(boxed(analysis.captionSequence().tokens()))) : null;
        return RowFactory.create(path, imageId, analysis.imageWidth(), analysis.imageHeight(), null, detection,
                tasks.contains(TaskKind.SEGMENTATION) ? seq(masks) : null,
                tasks.contains(TaskKind.KEYPOINTS) ? seq(poses) : null, caption);
    }

    /** The row of an image that could not be analysed: why, and no results. */
    static Row failed(String path, Long imageId, String error) {
        return RowFactory.create(path, imageId, null, null, error, null, null, null, null);
    }

    private static StructField field(String name, DataType type) {
        return DataTypes.createStructField(name, type, true);
    }

    private static ArrayType ints() {
        return DataTypes.createArrayType(DataTypes.IntegerType, false);
    }

    /** Spark's row encoder takes arrays as Scala sequences. */
    private static <T> scala.collection.immutable.Seq<T> seq(List<T> values) {
        return scala.jdk.javaapi.CollectionConverters.asScala(values).toList();
    }

    private static List<Integer> boxed(int[] values) {
        return values == null ? List.of() : Arrays.stream(values).boxed().toList();
    }

    private static List<Double> boxed(double[] values) {
        return Arrays.stream(values).boxed().toList();
    }

    private static List<Float> boxed(float[] values) {
        List<Float> list = new ArrayList<>(values == null ? 0 : values.length);
        if (values != null) {
            for (float v : values) {
                list.add(v);
            }
        }
        return list;
    }
}
