package io.seqvision.spark;

import com.codahale.metrics.MetricRegistry;
import java.util.Properties;
import org.apache.spark.SparkConf;
import org.apache.spark.metrics.sink.MetricsServlet;
import org.sparkproject.jetty.servlet.ServletContextHandler;

/**
 * Spark's metrics servlet sink without its servlet: installed in place of the default (see
 * {@link SparkDefaults}) so that Spark starts with the Servlet 6 API on the class path.
 */
public final class HandlerlessMetricsServlet extends MetricsServlet {

    public HandlerlessMetricsServlet(Properties property, MetricRegistry registry) {
        super(property, registry);
    }

    @Override
    public ServletContextHandler[] getHandlers(SparkConf conf) {
        return new ServletContextHandler[0];
    }
}
