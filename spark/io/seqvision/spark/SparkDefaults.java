package io.seqvision.spark;

import org.apache.spark.SparkConf;

/**
 * Settings the job needs beside seqvision's own class path: the web layer brings the Jakarta
 * Servlet 6 API (Javalin), in which Spark's shaded Jetty 11 finds no {@code SingleThreadModel}, so
 * nothing of Spark that installs a servlet may start: the web UI stays off and the metrics servlet
 * sink installs none ({@link HandlerlessMetricsServlet}). Settings already made (spark-submit, {@code --conf}) are kept.
 */
final class SparkDefaults {

    private SparkDefaults() {}

    static SparkConf apply(SparkConf conf) {
        conf.setIfMissing("spark.ui.enabled", "false");
        conf.setIfMissing("spark.metrics.conf.*.sink.servlet.class", HandlerlessMetricsServlet.class.getName());
        return conf;
    }
}
