package io.seqvision.web;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.config.SizeUnit;
import io.javalin.http.HttpResponseException;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import io.seqvision.web.api.ApiError;
import io.seqvision.web.api.ServerLimits;
import io.seqvision.web.controller.HealthController;
import io.seqvision.web.controller.ModelController;
import io.seqvision.web.controller.PredictController;
import io.seqvision.web.controller.SampleController;
import io.seqvision.web.image.UploadedImageReader;
import io.seqvision.web.insight.ModelInsights;
import io.seqvision.web.insight.SampleImages;
import io.seqvision.web.service.InferenceQueue;
import io.seqvision.web.service.InferenceService;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The demo page and the REST API on Javalin: the services are given, the server wires routes,
 * error bodies, static files and the inference queue, and owns the queue.
 *
 * <pre>{@code
 * try (WebServer server = WebServer.start("127.0.0.1", 7070, service, insights, samples, ServerLimits.defaults())) {
 *     ... // http://127.0.0.1:7070/
 * }
 * }</pre>
 */
public final class WebServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WebServer.class);
    /** The page's files, on the classpath (from {@code web/io/seqvision/web/public}). */
    static final String PUBLIC_FILES = "/io/seqvision/web/public";

    private final Javalin app;
    private final InferenceQueue queue;

    private WebServer(Javalin app, InferenceQueue queue) {
        this.app = app;
        this.queue = queue;
    }

    /**
     * Starts serving.
     *
     * @param port a port, or 0 for any free one ({@link #port()} tells which)
     */
    public static WebServer start(String host, int port, InferenceService service, ModelInsights insights,
            SampleImages samples, ServerLimits limits) {
        InferenceQueue queue = new InferenceQueue(limits.workers(), limits.queueCapacity(),
                Duration.ofMillis(limits.timeLimitMs()));
        try {
            Javalin app = create(service, insights, samples, limits, queue).start(host, port);
            return new WebServer(app, queue);
        } catch (RuntimeException e) {
            queue.close();
            throw e;
        }
    }

    private static Javalin create(InferenceService service, ModelInsights insights, SampleImages samples,
            ServerLimits limits, InferenceQueue queue) {
        PredictController predict = new PredictController(service, queue,
                new UploadedImageReader(limits.maxImageSide(), limits.maxImagePixels()), limits.maxUploadBytes());
        ModelController model = new ModelController(service, insights, limits);
        HealthController health = new HealthController(service, queue);
        SampleController sampleImages = new SampleController(samples);
        ObjectMapper json = new ObjectMapper().setSerializationInclusion(JsonInclude.Include.NON_NULL);
        return Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.jsonMapper(new JavalinJackson(json, false));
            config.http.maxRequestSize = limits.maxUploadBytes();
            config.http.prefer405over404 = true;
            config.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
            config.jetty.multipartConfig.maxFileSize(limits.maxUploadBytes(), SizeUnit.BYTES);
            config.jetty.multipartConfig.maxTotalRequestSize(limits.maxUploadBytes() + 65_536, SizeUnit.BYTES);
            config.staticFiles.add(PUBLIC_FILES, Location.CLASSPATH);

            config.routes.before(ctx -> JsonErrorHandler.SecurityHeaders.VALUES.forEach(ctx::header));
            config.routes.get(ApiPaths.HEALTH, health::health);
            config.routes.get(ApiPaths.MODEL, model::overview);
            config.routes.get(ApiPaths.ERF, model::receptiveField);
            config.routes.get(ApiPaths.ERF_PNG, model::receptiveFieldPng);
            config.routes.get(ApiPaths.METRICS, model::learningCurves);
            config.routes.get(ApiPaths.STUDY, model::study);
            config.routes.get(ApiPaths.SAMPLES, sampleImages::list);
            config.routes.get(ApiPaths.SAMPLE, sampleImages::image);
            config.routes.post(ApiPaths.PREDICT, predict::predict);

            config.routes.exception(ApiException.class, (e, ctx) -> {
                if (e.status() == 400) {
                    // one line, no trace: a bad request is the client's, and must not flood the log
                    LOG.info("{} {} -> 400 {}", ctx.method(), ctx.path(), e.toError().message());
                }
                ctx.status(e.status()).json(e.toError());
            });
            config.routes.exception(IllegalArgumentException.class, (e, ctx) ->
                    ctx.status(400).json(new ApiError(400, "bad_request", e.getMessage())));
            config.routes.exception(HttpResponseException.class, (e, ctx) -> ctx.status(e.getStatus()).json(
                    new ApiError(e.getStatus(), httpCode(e.getStatus()), e.getMessage() + "; see " + ApiPaths.OPENAPI)));
            config.routes.exception(Exception.class, (e, ctx) -> {
                LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
                ctx.status(500).json(new ApiError(500, "internal_error", "the server failed: " + e));
            });
        });
    }

    private static String httpCode(int status) {
        return switch (status) {
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 413 -> "upload_too_large";
            default -> "http_" + status;
        };
    }

    /** The port served on. */
    public int port() {
        return app.port();
    }

    /** The inference queue, for its counters. */
    public InferenceQueue queue() {
        return queue;
    }

    /** Stops serving, then lets running jobs finish and stops the workers. The services stay open. */
    @Override
    public void close() {
        app.stop();
        queue.close();
    }
}
