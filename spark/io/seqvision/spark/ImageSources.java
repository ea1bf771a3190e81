package io.seqvision.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.split;
import static org.apache.spark.sql.functions.when;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Reads the job's input into rows of {@link #COLUMNS}: {@code path}, {@code image_id} (null
 * without ids), {@code content} (the encoded image, null when missing) and {@code error} (why
 * there is no image, else null). Three kinds of input:
 * <ul>
 *   <li>{@code binary}: a folder (read recursively) or a glob of image files, Spark's
 *       {@code binaryFile} source;
 *   <li>{@code parquet}: a Parquet table with a path column and an image-bytes column (and
 *       optionally an {@code image_id} column);
 *   <li>{@code coco}: a COCO JSON file whose {@code images} list names files in an image folder;
 *       an image the list names but the folder lacks (or holds empty: Spark's file sources skip
 *       empty files) gets an error row.
 * </ul>
 */
final class ImageSources {

    static final List<String> COLUMNS = List.of("path", "image_id", "content", "error");

    /** What of a COCO file the job reads; other fields are ignored. */
    static final StructType COCO = new StructType()
            .add("images", DataTypes.createArrayType(new StructType()
                    .add("id", DataTypes.LongType)
                    .add("file_name", DataTypes.StringType)))
            .add("categories", DataTypes.createArrayType(new StructType()
                    .add("id", DataTypes.IntegerType)
                    .add("name", DataTypes.StringType)));

    /** The input kinds, by the names {@code --format} takes. */
    enum Format {
        BINARY, PARQUET, COCO;

        static Format of(String name, String input) {
            if (name.equals("auto")) {
                String lower = input.toLowerCase(Locale.ROOT);
                return lower.endsWith(".json") ? COCO : lower.endsWith(".parquet") ? PARQUET : BINARY;
            }
            for (Format format : values()) {
                if (format.name().toLowerCase(Locale.ROOT).equals(name)) {
                    return format;
                }
            }
            throw new IllegalArgumentException("unknown input format '" + name + "'; valid: auto, "
                    + String.join(", ", Arrays.stream(values()).map(f -> f.name().toLowerCase(Locale.ROOT)).toList()));
        }
    }

    private ImageSources() {}

    static Dataset<Row> binaryFiles(SparkSession spark, String input) {
        boolean glob = input.contains("*") || input.contains("?") || input.contains("[") || input.contains("{");
        return spark.read().format("binaryFile").option("recursiveFileLookup", !glob).load(input)
                .select(col("path"), lit(null).cast(DataTypes.LongType).as("image_id"), col("content"),
                        lit(null).cast(DataTypes.StringType).as("error"));
    }

    static Dataset<Row> parquet(SparkSession spark, String input, String pathColumn, String bytesColumn) {
        Dataset<Row> table = spark.read().parquet(input);
        List<String> columns = Arrays.asList(table.columns());
        for (String needed : List.of(pathColumn, bytesColumn)) {
            if (!columns.contains(needed)) {
                throw new IllegalArgumentException(input + ": no column '" + needed + "'; its columns are " + columns);
            }
        }
        Column id = columns.contains("image_id") ? col("image_id").cast(DataTypes.LongType)
                : lit(null).cast(DataTypes.LongType);
        return table.select(col(pathColumn).cast(DataTypes.StringType).as("path"), id.as("image_id"),
                col(bytesColumn).cast(DataTypes.BinaryType).as("content"),
                when(col(bytesColumn).isNull(), lit("no image bytes in column " + bytesColumn))
                        .otherwise(lit(null).cast(DataTypes.StringType)).as("error"));
    }

    /** The images a COCO file lists, matched by file name to the files of {@code imageDir}. */
    static Dataset<Row> coco(SparkSession spark, String cocoFile, String imageDir) {
        if (imageDir == null) {
            throw new IllegalArgumentException(cocoFile + ": a COCO input needs --images, the folder its file_names are in");
        }
        Dataset<Row> listed = readCoco(spark, cocoFile).select(explode(col("images")).as("image"))
                .select(col("image.id").as("image_id"), col("image.file_name").as("file_name"));
        Dataset<Row> files = spark.read().format("binaryFile").load(imageDir)
                .select(col("path"), col("content"), element_at(split(col("path"), "/"), -1).as("name"));
        String dir = imageDir.endsWith("/") ? imageDir : imageDir + "/";
        return listed.join(files, listed.col("file_name").equalTo(files.col("name")), "left")
                .select(when(col("path").isNull(), concat(lit(dir), col("file_name"))).otherwise(col("path"))
                                .as("path"),
                        col("image_id"), col("content"),
                        when(col("path").isNull(), concat(lit("image file '"), col("file_name"),
                                lit("' listed in " + cocoFile + " is missing or empty in " + imageDir)))
                                .otherwise(lit(null).cast(DataTypes.StringType)).as("error"));
    }

    /** Category ids by name, from a COCO file's {@code categories}. */
    static Map<String, Integer> categories(SparkSession spark, String cocoFile) {
        Map<String, Integer> ids = new HashMap<>();
        for (Row row : readCoco(spark, cocoFile).select(explode(col("categories")).as("c"))
                .select("c.id", "c.name").collectAsList()) {
            ids.put(row.getString(1), row.getInt(0));
        }
        if (ids.isEmpty()) {
            throw new IllegalArgumentException(cocoFile + ": no categories (need a COCO file with 'categories')");
        }
        return ids;
    }

    private static Dataset<Row> readCoco(SparkSession spark, String cocoFile) {
        Dataset<Row> json = spark.read().schema(COCO).option("multiLine", true).option("mode", "FAILFAST")
                .json(cocoFile);
        return json;
    }
}
