package io.seqvision.spark;

import static org.apache.spark.sql.functions.col;

import io.seqvision.tasks.TaskKind;
import io.seqvision.tasks.model.ShippedModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code seqvision spark-predict}: runs a trained model over an image collection on Spark and
 * writes a Parquet table, one row per image ({@link PredictionRows}), through Spark's DataFrame
 * writer and its output commit protocol (a retried or speculative task's files are never
 * committed twice; the table appears whole or not at all). Each image's results depend only on
 * the image and the model, so a re-run over the same input writes the same rows.
 *
 * <p>Local: {@code bin/seqvision spark-predict ...} (master {@code local[*]} unless {@code --master}).
 * Cluster: {@code spark-submit --class io.seqvision.spark.SparkPredictCommand} with the seqvision jar
 * and its runtime dependencies (see README); the master comes from {@code spark-submit}.
 */
@Command(name = "spark-predict", mixinStandardHelpOptions = true,
        description = "Run a trained model over many images on Apache Spark; write a Parquet table of the results.")
public final class SparkPredictCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--model",
            description = "model directory written by train, at this path on every executor (default: the model "
                    + "that ships with seqvision, found where the driver finds it)")
    String model;

    @Option(names = "--input", required = true,
            description = "a folder or glob of images, a Parquet table, or a COCO JSON file")
    String input;

    @Option(names = "--format", defaultValue = "auto",
            description = "binary, parquet or coco; auto: coco for *.json, parquet for *.parquet, else binary")
    String format;

    @Option(names = "--images", description = "folder the file_names of a COCO input are in")
    String images;

    @Option(names = "--path-column", defaultValue = "path", description = "Parquet input: path column")
    String pathColumn;

    @Option(names = "--bytes-column", defaultValue = "content", description = "Parquet input: image-bytes column")
    String bytesColumn;

    @Option(names = "--tasks", split = ",",
            description = "tasks to run (detection, segmentation, keypoints, captioning); default: all the model has")
    List<String> tasks = List.of();

    @Option(names = "--out", required = true, description = "output Parquet table (a folder)")
    String out;

    @Option(names = "--overwrite", description = "replace an existing output table")
    boolean overwrite;

    @Option(names = "--coco-results", description = "also write the detections as a COCO results JSON file")
    Path cocoResults;

    @Option(names = "--categories",
            description = "COCO file whose categories give --coco-results its category ids (default: a COCO input)")
    String categories;

    @Option(names = "--batch-size", defaultValue = "8", description = "images decoded together (default: ${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--partitions", defaultValue = "0",
            description = "spread the input over this many partitions by path (0: as read)")
    int partitions;

    @Option(names = "--master", description = "Spark master (default: spark-submit's, else local[*])")
    String master;

    @Override
    public Integer call() {
        tasks.forEach(id -> TaskKind.of(id.trim())); // an unknown name fails here, before Spark starts
        ImageSources.Format kind = ImageSources.Format.of(format, input);
        String categorySource = categories != null ? categories : kind == ImageSources.Format.COCO ? input : null;
        if (cocoResults != null && categorySource == null) {
            throw new IllegalArgumentException("--coco-results needs category ids: give --categories <COCO json>");
        }
        if (model == null) {
            model = ShippedModel.directory().toString();
        }
        if (Files.isDirectory(Path.of(model))) {
            PartitionPredictor.tasks(ExecutorModels.get(model), tasks); // checks the model here, once
        }
        SparkConf conf = SparkDefaults.apply(new SparkConf().setAppName("seqvision spark-predict"));
        if (master != null) {
            conf.setMaster(master);
        } else if (!conf.contains("spark.master")) {
            conf.setMaster("local[*]");
        }
        SparkSession spark = SparkSession.builder().config(conf).getOrCreate();
        try {
            Result result = run(spark, new Job(model, input, kind, images, pathColumn, bytesColumn, tasks, out,
                    overwrite, cocoResults, categorySource, batchSize, partitions));
            spec.commandLine().getOut().printf(Locale.ROOT, "%d images (%d with an error) in %.1f s, %.2f images/s%n"
                    + "wrote %s%s%n", result.images(), result.errors(), result.seconds(),
                    result.images() / Math.max(result.seconds(), 1e-9), out,
                    cocoResults == null ? "" : " and " + cocoResults + " (" + result.cocoEntries() + " entries)");
            spec.commandLine().getOut().flush();
        } finally {
            spark.stop();
        }
        return 0;
    }

    /** What the job reads and writes. */
    record Job(String model, String input, ImageSources.Format format, String images, String pathColumn,
            String bytesColumn, List<String> tasks, String out, boolean overwrite, Path cocoResults,
            String categories, int batchSize, int partitions) {}

    /** What the job did. */
    record Result(long images, long errors, double seconds, long cocoEntries) {}

    /** Runs the job on a session the caller owns. */
    static Result run(SparkSession spark, Job job) {
        Map<String, Integer> categoryIds = job.cocoResults() == null ? null
                : ImageSources.categories(spark, job.categories());
        Dataset<Row> source = switch (job.format()) {
            case BINARY -> ImageSources.binaryFiles(spark, job.input());
            case PARQUET -> ImageSources.parquet(spark, job.input(), job.pathColumn(), job.bytesColumn());
            case COCO -> ImageSources.coco(spark, job.input(), job.images());
        };
        if (job.partitions() > 0) {
            source = source.repartition(job.partitions(), col("path"));
        }
        long started = System.nanoTime();
        source.mapPartitions(new PartitionPredictor(job.model(), job.tasks(), job.batchSize()),
                        Encoders.row(PredictionRows.SCHEMA))
                .write().mode(job.overwrite() ? SaveMode.Overwrite : SaveMode.ErrorIfExists).parquet(job.out());
        double seconds = (System.nanoTime() - started) / 1e9;
        Dataset<Row> written = spark.read().parquet(job.out());
        long images = written.count();
        long errors = written.filter(col("error").isNotNull()).count();
        long entries = job.cocoResults() == null ? 0 : CocoResults.write(written, categoryIds, job.cocoResults());
        return new Result(images, errors, seconds, entries);
    }

    public static void main(String[] args) {
        System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
        CommandLine cli = new CommandLine(new SparkPredictCommand());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            String message = e.getMessage();
            commandLine.getErr().println("error: " + (message == null || message.isBlank() ? e : message));
            if (Boolean.getBoolean("seqvision.stacktrace")) {
                e.printStackTrace(commandLine.getErr());
            }
            return 2;
        });
        int status = cli.execute(args);
        ExecutorModels.closeAll();
        System.exit(status);
    }
}
