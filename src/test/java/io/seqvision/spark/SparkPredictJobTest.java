package io.seqvision.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.seqvision.tasks.TaskKind;
import io.seqvision.tasks.api.Analysis;
import io.seqvision.tasks.api.AnalyzedObject;
import io.seqvision.tasks.api.Detection;
import io.seqvision.tasks.api.PosePoint;
import io.seqvision.tasks.api.SeqVisionModel;
import io.seqvision.tasks.config.ConfigLoader;
import io.seqvision.tasks.data.ImageInput;
import io.seqvision.tasks.data.coco.CocoAnnotation;
import io.seqvision.tasks.data.coco.CocoImage;
import io.seqvision.tasks.data.coco.CocoInstances;
import io.seqvision.tasks.data.coco.CocoLoader;
import io.seqvision.tasks.data.coco.CocoRle;
import io.seqvision.tasks.jobs.TrainingJob;
import io.seqvision.tasks.metrics.ApResult;
import io.seqvision.tasks.metrics.BoxApEvaluator;
import io.seqvision.tasks.metrics.DetectionBox;
import io.seqvision.tasks.metrics.GroundTruthBox;
import io.seqvision.tokenizers.PolygonRasterizer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark job in local[2] on 200 generated shapes images and three corrupt files, against
 * {@link SeqVisionModel} called one image at a time in this JVM (a tiny model trained a few
 * steps: the results need not be good, only equal between the two paths).
 */
class SparkPredictJobTest {

    private static final List<String> CORRUPT = List.of("random-bytes.png", "truncated.png", "empty.jpg");

    @TempDir
    static Path dir;

    private static SparkSession spark;
    private static Path model;
    private static Path imageDir;
    private static Path cocoInput;
    private static CocoInstances truth;

    @BeforeAll
    static void setUp() throws Exception {
        String root = dir.toString().replace("\\", "/");
        String split = "{instances: %1$s/shapes/annotations/instances_%2$s.json, keypoints: %1$s/shapes/annotations/"
                + "person_keypoints_%2$s.json, captions: %1$s/shapes/annotations/captions_%2$s.json, images: "
                + "%1$s/shapes/images/%2$s}";
        var config = ConfigLoader.parse("""
                name: spark
                output_dir: %1$s/runs
                data:
                  root: %1$s/shapes
                  train: %2$s
                  val: %3$s
                  generate: {seed: 11, train_images: 8, val_images: 200}
                model:
                  encoder: convnext-tiny
                  image_size: 64
                  decoder: {width: 32, layers: 1, heads: 2, mlp_dim: 64, dropout: 0.0}
                tokenizer: {coord_bins: 64, max_objects: 4}
                tasks:
                  segmentation: {weight: 1.0, max_points: 8}
                  keypoints: {weight: 1.0}
                  captioning: {weight: 1.0, max_tokens: 8}
                training: {batch_size: 4, steps: 4, warmup_steps: 1, checkpoint_every: 4, log_every: 2}
                eval: {batch_size: 4, max_images: 2}
                """.formatted(root, split.formatted(root, "train"), split.formatted(root, "val")), "spark-test");
        model = TrainingJob.trainAndEvaluate(config, TrainingJob.StartMode.NEW, Long.MAX_VALUE,
                new PrintStream(new ByteArrayOutputStream())).run().model();
        imageDir = dir.resolve("shapes/images/val");
        Path annotations = dir.resolve("shapes/annotations/instances_val.json");
        truth = CocoLoader.loadInstances(annotations, imageDir);
        byte[] png = Files.readAllBytes(imageDir.resolve(truth.images().get(0).fileName()));
        Files.write(imageDir.resolve(CORRUPT.get(0)), new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
        Files.write(imageDir.resolve(CORRUPT.get(1)), java.util.Arrays.copyOf(png, 60));
        Files.write(imageDir.resolve(CORRUPT.get(2)), new byte[0]);
        // the COCO input lists the corrupt files too, with ids after the real ones
        ObjectMapper json = new ObjectMapper();
        ObjectNode coco = (ObjectNode) json.readTree(annotations.toFile());
        ArrayNode images = (ArrayNode) coco.get("images");
        for (int i = 0; i < CORRUPT.size(); i++) {
            images.addObject().put("id", 100_000 + i).put("file_name", CORRUPT.get(i)).put("width", 10)
                    .put("height", 10);
        }
        cocoInput = dir.resolve("input.json");
        json.writeValue(cocoInput.toFile(), coco);
        spark = SparkSession.builder().config(SparkDefaults.apply(new org.apache.spark.SparkConf()))
                .master("local[2]").appName("spark-predict-test").config("spark.sql.shuffle.partitions", "4")
                .getOrCreate();
    }

    @AfterAll
    static void tearDown() {
        if (spark != null) {
            spark.stop();
        }
        ExecutorModels.closeAll();
    }

    @Test
    void everyImageHasARowEqualToTheFacadesAndTheCocoResultsScoreTheSameBoxAp() throws Exception {
        Path out = dir.resolve("predictions");
        Path results = dir.resolve("results.json");
        SparkPredictCommand.Result result = SparkPredictCommand.run(spark, new SparkPredictCommand.Job(
                model.toString(), cocoInput.toString(), ImageSources.Format.COCO, imageDir.toString(), "path",
                "content", List.of(), out.toString(), false, results, cocoInput.toString(), 8, 4));
        assertEquals(203, result.images());
        assertEquals(3, result.errors());
        Map<Long, Row> rows = byId(spark.read().parquet(out.toString()).collectAsList());
        assertEquals(203, rows.size(), "one row per listed image, none twice");

        for (int i = 0; i < CORRUPT.size(); i++) {
            Row row = rows.get(100_000L + i);
            assertTrue(row.<String>getAs("path").endsWith(CORRUPT.get(i)), row.toString());
            String error = row.getAs("error");
            assertNotNull(error, CORRUPT.get(i));
            assertTrue(error.contains("not a readable image") || error.contains("corrupt")
                    || error.contains("missing or empty"), error);
            assertNull(row.getAs("detection"));
        }

        Map<String, Integer> categoryIds = new HashMap<>();
        truth.categories().forEach(c -> categoryIds.put(c.name(), c.id()));
        List<DetectionBox> expected = new ArrayList<>();
        int objects = 0;
        try (SeqVisionModel reference = SeqVisionModel.load(model)) {
            Set<TaskKind> all = EnumSet.copyOf(reference.tasks());
            assertEquals(EnumSet.allOf(TaskKind.class), all);
            for (CocoImage image : truth.images()) {
                Row row = rows.get(image.id());
                assertNull(row.getAs("error"), image.fileName());
                Analysis analysis = reference.analyze(ImageInput.read(imageDir.resolve(image.fileName())),
                        all, null);
                assertSameResults(analysis, row, image.fileName());
                for (AnalyzedObject o : analysis.objects()) {
                    Detection d = o.detection();
                    expected.add(new DetectionBox(image.id(), categoryIds.get(d.className()), d.xmin(), d.ymin(),
                            d.width(), d.height(), d.score()));
                }
                objects += analysis.objects().size();
            }
        }
        assertTrue(objects > 0, "the model detects something, so the AP comparison means something");

        List<GroundTruthBox> truths = new ArrayList<>();
        for (CocoAnnotation a : truth.annotations()) {
            truths.add(new GroundTruthBox(a.imageId(), a.categoryId(), a.bbox().x(), a.bbox().y(), a.bbox().width(),
                    a.bbox().height(), a.area(), a.crowd()));
        }
        List<DetectionBox> fromFile = new ArrayList<>();
        for (JsonNode entry : new ObjectMapper().readTree(results.toFile())) {
            JsonNode b = entry.get("bbox");
            fromFile.add(new DetectionBox(entry.get("image_id").asLong(), entry.get("category_id").asInt(),
                    b.get(0).asDouble(), b.get(1).asDouble(), b.get(2).asDouble(), b.get(3).asDouble(),
                    entry.get("score").asDouble()));
            JsonNode segmentation = entry.get("segmentation");
            assertTrue(segmentation.has("size") && segmentation.get("counts").isTextual(), entry.toString());
        }
        assertEquals(objects, fromFile.size());
        ApResult direct = BoxApEvaluator.evaluate(truths, expected);
        ApResult spark = BoxApEvaluator.evaluate(truths, fromFile);
        assertArrayEquals(direct.stats(), spark.stats(), 1e-12);
    }

    @Test
    void folderAndParquetInputsGiveTheSameRowsAndAnExistingOutputIsRefused() {
        Path out = dir.resolve("glob");
        String glob = imageDir.resolve("00001?.png").toString();
        SparkPredictCommand.Job job = new SparkPredictCommand.Job(model.toString(), glob, ImageSources.Format.BINARY,
                null, "path", "content", List.of("detection"), out.toString(), false, null, null, 3, 0);
        SparkPredictCommand.Result first = SparkPredictCommand.run(spark, job);
        assertTrue(first.images() > 0 && first.errors() == 0, first.toString());
        List<Row> firstRows = spark.read().parquet(out.toString()).orderBy("path").collectAsList();
        assertThrows(Exception.class, () -> SparkPredictCommand.run(spark, job), "no silent overwrite");

        // the same images as a Parquet table of bytes: the same rows (a re-run gives the same output)
        Path table = dir.resolve("bytes.parquet");
        spark.read().format("binaryFile").load(glob).select("path", "content").write().parquet(table.toString());
        Path again = dir.resolve("from-parquet");
        SparkPredictCommand.run(spark, new SparkPredictCommand.Job(model.toString(), table.toString(),
                ImageSources.Format.PARQUET, null, "path", "content", List.of("detection"), again.toString(), false,
                null, null, 2, 3));
        assertEquals(firstRows, spark.read().parquet(again.toString()).orderBy("path").collectAsList());
        assertNull(firstRows.get(0).getAs("captioning"), "only the tasks asked run");
    }

    private static Map<Long, Row> byId(List<Row> rows) {
        Map<Long, Row> byId = new HashMap<>();
        for (Row row : rows) {
            assertNull(byId.put(row.getAs("image_id"), row), "image id twice: " + row.getAs("image_id"));
        }
        return byId;
    }

    private static void assertSameResults(Analysis analysis, Row row, String name) {
        assertEquals(analysis.imageWidth(), (int) row.<Integer>getAs("width"), name);
        assertEquals(analysis.imageHeight(), (int) row.<Integer>getAs("height"), name);
        Row detection = row.getAs("detection");
        assertEquals(ints(analysis.detectionSequence().tokens()), detection.getList(1), name);
        List<Float> probabilities = new ArrayList<>();
        for (float p : analysis.detectionSequence().probabilities()) {
            probabilities.add(p);
        }
        assertEquals(probabilities, detection.getList(2), name);
        assertEquals(analysis.detectionSequence().ended(), detection.getBoolean(3), name);
        List<Row> boxes = detection.getList(0);
        assertEquals(analysis.objects().size(), boxes.size(), name);
        Map<Integer, Row> masks = byObject(row.getList(row.fieldIndex("segmentation")));
        Map<Integer, Row> poses = byObject(row.getList(row.fieldIndex("keypoints")));
        for (int k = 0; k < boxes.size(); k++) {
            AnalyzedObject o = analysis.objects().get(k);
            Detection d = o.detection();
            Row b = boxes.get(k);
            assertEquals(List.of(d.className(), d.classIndex(), d.score(), d.xmin(), d.ymin(), d.xmax(), d.ymax()),
                    List.of(b.get(0), b.get(1), b.get(2), b.get(3), b.get(4), b.get(5), b.get(6)), name);
            Row mask = masks.get(k);
            assertEquals(ints(o.maskTokens()), mask.getList(2), name);
            List<?> polygons = mask.getList(1);
            assertEquals(o.polygons().size(), polygons.size(), name);
            for (int p = 0; p < polygons.size(); p++) {
                double[] stored = scala.jdk.javaapi.CollectionConverters.asJava((scala.collection.Seq<?>) polygons.get(p))
                        .stream().mapToDouble(v -> (Double) v).toArray();
                assertArrayEquals(o.polygons().get(p), stored, name);
            }
            Row rle = mask.getAs("rle");
            assertEquals(List.of(analysis.imageHeight(), analysis.imageWidth()), rle.getList(0), name);
            assertEquals(PolygonRasterizer.rasterizePixels(o.polygons(), analysis.imageWidth(), analysis.imageHeight()),
                    new CocoRle(analysis.imageHeight(), analysis.imageWidth(), CocoRle.decodeCounts(rle.getString(1)))
                            .toMask(), name);
            Row pose = poses.get(k);
            assertEquals(o.keypoints().isEmpty(), pose == null, name);
            if (pose != null) {
                List<Row> points = pose.getList(1);
                for (int j = 0; j < points.size(); j++) {
                    PosePoint p = o.keypoints().get(j);
                    Row s = points.get(j);
                    assertEquals(List.of(p.name(), p.x(), p.y(), p.visible()),
                            List.of(s.get(0), s.get(1), s.get(2), s.get(3)), name);
                }
                assertEquals(o.keypoints().size(), points.size());
                assertEquals(ints(o.keypointTokens()), pose.getList(2), name);
            }
        }
        Row caption = row.getAs("captioning");
        assertEquals(analysis.caption(), caption.getString(0), name);
        assertEquals(ints(analysis.captionSequence().tokens()), caption.getList(1), name);
    }

    private static Map<Integer, Row> byObject(List<Row> entries) {
        Map<Integer, Row> byObject = new HashMap<>();
        for (Row entry : entries) {
            byObject.put(entry.getInt(0), entry);
        }
        return byObject;
    }

    private static List<Integer> ints(int[] values) {
        return java.util.Arrays.stream(values).boxed().toList();
    }
}
