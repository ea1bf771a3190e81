package io.seqvision.bench.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.HttpURLConnection;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code seqvision bench-serve}: a closed-loop load test of a running server's {@code POST
 * /api/predict}: {@code clients} threads each send {@code requests} requests one after another and
 * the bench reports throughput, latency percentiles and answers by status, and, from the server's
 * {@code GET /api/health} before and after, how full its shared decoding steps were during the run.
 * Meant for loopback (the server on this machine); each client stops after its requests.
 */
@Command(name = "bench-serve", mixinStandardHelpOptions = true,
        description = "Load-test a running seqvision server's POST /api/predict on this machine.")
public final class LoadBench implements Callable<Integer> {

    @Option(names = "--url", description = "the server (default: ${DEFAULT-VALUE})")
    URI url = URI.create("http://127.0.0.1:7070");

    @Option(names = "--image", required = true, description = "image file to post")
    Path image;

    @Option(names = "--clients", description = "concurrent clients (default: ${DEFAULT-VALUE})")
    int clients = 8;

    @Option(names = "--requests", description = "requests per client (default: ${DEFAULT-VALUE})")
    int requests = 200;

    @Option(names = "--query", description = "query string of each request (default: ${DEFAULT-VALUE})")
    String query = "tasks=detection";

    /** What a run measured. */
    public record Report(int requests, Map<Integer, Integer> statuses, int failed, double seconds,
            double p50Ms, double p90Ms, double p99Ms, double maxMs) {

        public int serverErrors() {
            return statuses.entrySet().stream().filter(e -> e.getKey() >= 500).mapToInt(Map.Entry::getValue).sum()
                    + failed;
        }

        public double requestsPerSecond() {
            return requests / seconds;
        }

        public String describe() {
            return String.format(Locale.ROOT, "%d requests in %.1f s: %.1f requests/s; latency p50 %.0f ms, p90 %.0f ms,"
                    + " p99 %.0f ms, max %.0f ms; answers by status %s; connection failures %d",
                    requests, seconds, requestsPerSecond(), p50Ms, p90Ms, p99Ms, maxMs, statuses, failed);
        }
    }

    /**
     * The server's shared decoding steps during a run, from its health counters before and after.
     *
     * @param rowsPerStep sequences a step served on average
     */
    public record StepsDuring(int maxRows, long steps, double rowsPerStep, double decoderMsPerStep,
            double choiceMsPerStep) {

        /** The difference of two {@code decoding} objects of {@code /api/health}; null if either is missing. */
        public static StepsDuring between(JsonNode before, JsonNode after) {
            if (before == null || after == null || before.isNull() || after.isNull()) {
                return null;
            }
            long steps = after.path("steps").asLong() - before.path("steps").asLong();
            return new StepsDuring(after.path("maxRows").asInt(), steps,
                    perStep(before, after, "meanRows", steps), perStep(before, after, "decoderMsPerStep", steps),
                    perStep(before, after, "choiceMsPerStep", steps));
        }

        /** The mean of {@code field} over the steps between the two counters (each a mean over its own steps). */
        private static double perStep(JsonNode before, JsonNode after, String field, long steps) {
            if (steps <= 0) {
                return 0;
            }
            double total = after.path(field).asDouble() * after.path("steps").asLong()
                    - before.path(field).asDouble() * before.path("steps").asLong();
            return total / steps;
        }

        public String describe() {
            return String.format(Locale.ROOT, "shared decoding during the run: %d steps, %.2f of at most %d sequences"
                    + " a step, %.3f ms a step in the decoder, %.3f ms choosing tokens", steps, rowsPerStep, maxRows,
                    decoderMsPerStep, choiceMsPerStep);
        }
    }

    /**
     * Runs the load: every client posts {@code body} {@code requestsPerClient} times.
     *
     * @param predictUri the full {@code /api/predict} URI, query included
     */
    public static Report run(URI predictUri, byte[] body, String contentType, int clients, int requestsPerClient)
            throws InterruptedException {
        if (clients < 1 || requestsPerClient < 1) {
            throw new IllegalArgumentException("clients and requests must be positive, got " + clients + " and "
                    + requestsPerClient);
        }
        keepConnectionsAlive(clients);
        URL predict = toUrl(predictUri);
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long start = System.nanoTime();
        List<Future<long[][]>> futures = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            futures.add(pool.submit(() -> {
                long[][] results = new long[requestsPerClient][2];
                for (int i = 0; i < requestsPerClient; i++) {
                    long sent = System.nanoTime();
                    int status;
                    try {
                        status = post(predict, body, contentType);
                    } catch (IOException e) {
                        status = -1;
                    }
                    results[i][0] = status;
                    results[i][1] = System.nanoTime() - sent;
                }
                return results;
            }));
        }
        Map<Integer, Integer> statuses = new TreeMap<>();
        long[] latencies = new long[clients * requestsPerClient];
        int failed = 0;
        int n = 0;
        try {
            for (Future<long[][]> future : futures) {
                for (long[] result : future.get()) {
                    if (result[0] < 0) {
                        failed++;
                    } else {
                        statuses.merge((int) result[0], 1, Integer::sum);
                    }
                    latencies[n++] = result[1];
                }
            }
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("a client failed: " + e.getCause(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Arrays.sort(latencies);
        return new Report(n, statuses, failed, seconds, percentile(latencies, 0.50), percentile(latencies, 0.90),
                percentile(latencies, 0.99), latencies[latencies.length - 1] / 1e6);
    }

    /**
     * One request on the calling thread, over a connection the JDK keeps alive between requests
     * ({@link HttpURLConnection}, HTTP/1.1). On loopback the clients share the server's cores: this
     * blocking exchange costs a client about half the CPU of {@code java.net.http.HttpClient}'s
     * asynchronous one (0.49-0.52 against 1.01-1.20 ms a request, see docs/NOTES.md).
     *
     * @return the answer's status; its body is read to the end and dropped, so the connection can
     *     serve the client's next request
     */
    static int post(URL url, byte[] body, String contentType) throws IOException {
        HttpURLConnection connection = open(url, 120_000);
        connection.setRequestMethod("POST");
        connection.setRequestProperty("Content-Type", contentType);
        connection.setDoOutput(true);
        connection.setFixedLengthStreamingMode(body.length);
        try (OutputStream out = connection.getOutputStream()) {
            out.write(body);
        }
        int status = connection.getResponseCode();
        try (InputStream answer = status >= 400 ? connection.getErrorStream() : connection.getInputStream()) {
            if (answer != null) {
                answer.transferTo(OutputStream.nullOutputStream());
            }
        }
        return status;
    }

    /**
     * The JDK keeps at most 5 idle connections to a server unless {@code http.maxConnections} says
     * otherwise (read once, when the first connection is kept): with more clients, some would open a new
     * connection for every request. A value the user set is left as it is.
     */
    private static void keepConnectionsAlive(int clients) {
        if (System.getProperty("http.maxConnections") == null) {
            System.setProperty("http.maxConnections", Integer.toString(Math.max(5, clients)));
        }
    }

    private static HttpURLConnection open(URL url, int readTimeoutMs) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) url.openConnection();
        connection.setConnectTimeout(10_000);
        connection.setReadTimeout(readTimeoutMs);
        return connection;
    }

    private static URL toUrl(URI uri) {
        try {
            return uri.toURL();
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not an http URL: " + uri, e);
        }
    }

    /** Nearest-rank percentile of sorted nanosecond latencies, in milliseconds. */
    static double percentile(long[] sorted, double fraction) {
        int rank = (int) Math.ceil(fraction * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1e6;
    }

    @Override
    public Integer call() throws Exception {
        String name = image.getFileName().toString().toLowerCase(Locale.ROOT);
        String type = name.endsWith(".png") ? "image/png" : name.matches(".*\\.jpe?g") ? "image/jpeg"
                : "application/octet-stream";
        URI predict = url.resolve("/api/predict" + (query.isBlank() ? "" : "?" + query));
        keepConnectionsAlive(clients); // before the health request below makes the first connection
        JsonNode before = sharedDecoding();
        long cpuBefore = processCpuNanos();
        Report report = run(predict, Files.readAllBytes(image), type, clients, requests);
        long cpuAfter = processCpuNanos();
        StepsDuring steps = StepsDuring.between(before, sharedDecoding());
        if (steps != null) {
            System.out.println(steps.describe());
        }
        if (cpuBefore >= 0 && cpuAfter >= 0) {
            // on loopback the clients take their CPU from the server's cores: say how much
            System.out.printf(Locale.ROOT, "the clients' own CPU: %.2f ms a request%n",
                    (cpuAfter - cpuBefore) / 1e6 / report.requests());
        }
        System.out.println(report.describe());
        return report.serverErrors() == 0 ? 0 : 1;
    }

    /** This process's CPU time so far, or -1 where the JVM cannot tell. */
    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : -1;
    }

    /** The {@code decoding} object of the server's health, or null if the server does not say. */
    private JsonNode sharedDecoding() {
        try {
            HttpURLConnection connection = open(toUrl(url.resolve("/api/health")), 10_000);
            if (connection.getResponseCode() != 200) {
                return null;
            }
            try (InputStream answer = connection.getInputStream()) {
                return new ObjectMapper().readTree(answer).get("decoding");
            }
        } catch (IOException e) {
            return null;
        }
    }
}
