/**
 * Batch inference on Apache Spark: {@link io.seqvision.spark.SparkPredictCommand} runs a trained
 * model over an image collection and writes one Parquet row per image.
 *
 * <p>Spark is a {@code provided} dependency: it is on the class path of this package's compilation
 * and tests, and of {@code bin/seqvision spark-predict} or {@code spark-submit}, never on the
 * library's or the web server's. Nothing outside this package refers to Spark or Scala (an ArchUnit
 * rule holds it). The job uses the library only through {@code io.seqvision.tasks.api}.
 */
package io.seqvision.spark;
