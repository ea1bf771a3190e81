package io.seqvision.web;

import io.seqvision.tasks.api.SeqVisionModel;
import io.seqvision.web.api.ServerLimits;
import io.seqvision.web.insight.RunInsights;
import io.seqvision.web.insight.SampleImages;
import io.seqvision.web.service.SeqVisionInferenceService;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code seqvision serve}: the browser demo and REST API for a trained model. A separate entry
 * point from the {@code tasks} CLI because the web layer sits above it; {@code bin/seqvision serve}
 * dispatches here.
 */
@Command(name = "seqvision serve", mixinStandardHelpOptions = true,
        description = "Serve the browser demo and the REST API for a trained model directory.")
public final class WebMain implements Callable<Integer> {

    @Option(names = "--model", description = "model directory written by training, e.g. runs/shapes-multitask/model"
            + " (default: the shipped model)")
    Path model;

    @Option(names = "--port", description = "port (default: ${DEFAULT-VALUE}; 0 picks a free one)")
    int port = 7070;

    @Option(names = "--host", description = "address to listen on (default: ${DEFAULT-VALUE}; 0.0.0.0 for every interface)")
    String host = "127.0.0.1";

    @Option(names = "--max-upload-mb", description = "largest upload in MiB (default: ${DEFAULT-VALUE})")
    int maxUploadMb = (int) (ServerLimits.defaults().maxUploadBytes() >> 20);

    @Option(names = "--max-image-side", description = "largest image width or height in pixels (default: ${DEFAULT-VALUE})")
    int maxImageSide = ServerLimits.defaults().maxImageSide();

    @Option(names = "--workers", description = "requests handled at once (default: --batch-rows, or "
            + "2 when requests decode alone)")
    Integer workers;

    @Option(names = "--batch-rows", description = "concurrent requests share decoding steps, at most this many"
            + " sequences a step; 0 decodes each request alone (default: ${DEFAULT-VALUE})")
    int batchRows = DEFAULT_BATCH_ROWS;

    @Option(names = "--queue", description = "requests that may wait for a worker; more get 503 (default: ${DEFAULT-VALUE})")
    int queue = ServerLimits.defaults().queueCapacity();

    @Option(names = "--op-threads", description = "threads one tensor operation may use (PyTorch's intra-op threads;"
            + " default: 1 with batching, where the requests in flight and the decoding worker already keep the cores"
            + " busy and split operations only wait on each other; PyTorch's own otherwise)")
    Integer opThreads;

    @Option(names = "--time-limit-ms", description = "per-request limit from queueing to answer; longer gets 504 (default: ${DEFAULT-VALUE})")
    long timeLimitMs = ServerLimits.defaults().timeLimitMs();

    @Option(names = "--samples", description = "built-in sample images (default: ${DEFAULT-VALUE})")
    int samples = 6;

    /** Enough for the requests a 2-core machine keeps in flight; a step of 16 rows costs little more than one. */
    static final int DEFAULT_BATCH_ROWS = 16;
    private static final String OPERATION_THREADS = "ai.djl.pytorch.num_threads";

    private final CountDownLatch stopped = new CountDownLatch(1);

    @Override
    public Integer call() throws InterruptedException {
        // Here rather than in serve(): the property is global to the JVM, and only the command owns its JVM.
        setOperationThreads(opThreads != null ? opThreads : batchRows > 0 ? Integer.valueOf(1) : null);
        Serving serving = serve();
        String shown = host.equals("0.0.0.0") ? "localhost" : host;
        System.out.printf("seqvision: serving %s (%s) at http://%s:%d/  (API: /api/predict, /api/health, /openapi.json;"
                + " Ctrl-C stops)%n", serving.service().describe().name(), model, shown, serving.server().port());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            serving.close();
            stopped.countDown();
        }, "seqvision-serve-shutdown"));
        stopped.await();
        return 0;
    }

    /** The running server and the model it serves; closing stops the server, then frees the model. */
    record Serving(WebServer server, SeqVisionInferenceService service) implements AutoCloseable {
        @Override
        public void close() {
            server.close();
            service.close();
        }
    }

    /** Loads the model and starts serving with this command's options. */
    Serving serve() {
        if (model == null) {
            model = SeqVisionModel.shippedModelDirectory();
        }
        // With batching a worker mostly waits for the shared decoder, so one per batch row keeps it full.
        int handled = workers != null ? workers : batchRows > 0 ? batchRows : ServerLimits.defaults().workers();
        ServerLimits limits = new ServerLimits((long) maxUploadMb << 20, maxImageSide,
                (long) maxImageSide * maxImageSide, queue, handled, timeLimitMs);
        SampleImages sampleImages = SampleImages.generate(samples);
        SeqVisionInferenceService service = SeqVisionInferenceService.load(model, batchRows);
        try {
            RunInsights insights = new RunInsights(model, sampleImages.images());
            return new Serving(WebServer.start(host, port, service, insights, sampleImages, limits), service);
        } catch (RuntimeException e) {
            service.close();
            throw e;
        }
    }

    /**
     * Sets PyTorch's intra-op threads through DJL's system property, read when the engine starts (so
     * before the model loads; the command line only); a value the JVM was given ({@code
     * -Dai.djl.pytorch.num_threads}) wins.
     */
    private static void setOperationThreads(Integer threads) {
        if (threads == null) {
            return;
        }
        if (threads < 1) {
            throw new IllegalArgumentException("--op-threads must be positive, got " + threads);
        }
        if (System.getProperty(OPERATION_THREADS) == null) {
            System.setProperty(OPERATION_THREADS, Integer.toString(threads));
        }
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with seqvision's error handling: bad input prints one clear line, not a stack trace. */
    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new WebMain());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            String message = e.getMessage() == null || e.getMessage().isBlank() ? e.toString() : e.getMessage();
            commandLine.getErr().println("error: " + message);
            if (Boolean.getBoolean("seqvision.stacktrace")) {
                e.printStackTrace(commandLine.getErr());
            }
            return 2;
        });
        return cli;
    }
}
