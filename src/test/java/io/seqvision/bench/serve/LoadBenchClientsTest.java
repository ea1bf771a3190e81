package io.seqvision.bench.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The load generator's clients against a stand-in server: each posts the body as given, every
 * answer is counted by status, and a client keeps one connection for all its requests (on
 * loopback, a new connection per request would be load of the clients' own).
 */
class LoadBenchClientsTest {

    private static final int CLIENTS = 4;
    private static final int REQUESTS = 15;

    private HttpServer server;
    private final Set<Integer> clientPorts = ConcurrentHashMap.newKeySet();
    private final Set<String> bodies = ConcurrentHashMap.newKeySet();
    private final AtomicInteger answered = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/predict", exchange -> {
            clientPorts.add(exchange.getRemoteAddress().getPort());
            bodies.add(exchange.getRequestHeaders().getFirst("Content-Type") + ":"
                    + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            // every fifth answer is a 503 with a body, which the client must read too to keep its connection
            int status = answered.incrementAndGet() % 5 == 0 ? 503 : 200;
            byte[] answer = ("{\"answer\":" + answered.get() + "}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void everyAnswerIsCountedByStatusAndEachClientKeepsOneConnection() throws Exception {
        URI predict = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/api/predict?tasks=detection");
        LoadBench.Report report = LoadBench.run(predict, "image bytes".getBytes(StandardCharsets.UTF_8), "image/png",
                CLIENTS, REQUESTS);

        int total = CLIENTS * REQUESTS;
        assertEquals(total, report.requests());
        assertEquals(Map.of(200, total - total / 5, 503, total / 5), report.statuses(), report.describe());
        assertEquals(total / 5, report.serverErrors());
        assertArrayEquals(new Object[] {"image/png:image bytes"}, bodies.toArray());
        assertTrue(clientPorts.size() <= CLIENTS, clientPorts.size() + " connections for " + CLIENTS + " clients");
    }

    @Test
    void aServerThatIsNotThereIsAConnectionFailureOfEachRequest() throws Exception {
        URI predict = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/api/predict");
        server.stop(0);
        LoadBench.Report report = LoadBench.run(predict, new byte[] {1}, "image/png", 2, 3);
        assertEquals(6, report.failed());
        assertEquals(Map.of(), report.statuses());
    }
}
