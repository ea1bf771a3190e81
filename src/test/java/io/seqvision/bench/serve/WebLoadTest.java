package io.seqvision.bench.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqvision.tasks.api.ApiFixtures;
import io.seqvision.web.WebServer;
import io.seqvision.web.api.ServerLimits;
import io.seqvision.web.insight.RunInsights;
import io.seqvision.web.insight.SampleImages;
import io.seqvision.web.service.SeqVisionInferenceService;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 8 clients x 200 requests on loopback against a tiny model, twice: no 5xx; as many live NDArrays
 * after each run as before it; and the process's memory outside the Java heap (PyTorch's included)
 * within a small bound of where the warm-up left it.
 */
@Tag("heavy")
class WebLoadTest {

    private static final int CLIENTS = 8;
    private static final int REQUESTS = 200;
    /**
     * Growth of memory outside the Java heap allowed over both runs (3200 requests). Leaking one
     * 64 px input tensor per request alone would be 150 MiB; what does grow is bounded (malloc
     * arenas and stacks of request threads that the server starts under load). The exact check is
     * the count of live NDArrays, equal before and after.
     */
    private static final long NATIVE_GROWTH_LIMIT = 64L << 20;

    @TempDir
    Path dir;

    @Test
    void eightClientsOfTwoHundredRequestsGetNo5xxAndMemoryStaysFlat() throws Exception {
        Path modelDir = ApiFixtures.savedModel(dir, "{sampler: temperature, temperature: 1.0}");
        SampleImages samples = SampleImages.generate(2);
        byte[] image = samples.png("sample-1.png").orElseThrow();
        // a queue deep enough for every client: the load test checks that nothing fails, not the refusal
        ServerLimits limits = new ServerLimits(16L << 20, 4096, 4096L * 4096, CLIENTS, 2, 60_000);
        try (SeqVisionInferenceService service = SeqVisionInferenceService.load(modelDir);
                WebServer server = WebServer.start("127.0.0.1", 0, service, new RunInsights(modelDir, samples.images()),
                        samples, limits)) {
            URI predict = URI.create("http://127.0.0.1:" + server.port() + "/api/predict?tasks=detection");
            LoadBench.Report warmUp = LoadBench.run(predict, image, "image/png", CLIENTS, 25);
            assertEquals(Map.of(200, CLIENTS * 25), warmUp.statuses(), warmUp.describe());
            Memory before = Memory.settled();
            LoadBench.Report report = LoadBench.run(predict, image, "image/png", CLIENTS, REQUESTS);
            Memory after = Memory.settled();
            LoadBench.Report again = LoadBench.run(predict, image, "image/png", CLIENTS, REQUESTS);
            Memory afterAgain = Memory.settled();
            System.out.printf("load: %s%nagain: %s%nmemory after warm-up: %s%nafter the run:       %s%n"
                    + "after a second run:  %s%n", report.describe(), again.describe(), before, after, afterAgain);
            for (LoadBench.Report r : java.util.List.of(report, again)) {
                assertEquals(CLIENTS * REQUESTS, r.requests());
                assertEquals(0, r.serverErrors(), r.describe());
                assertEquals(Map.of(200, CLIENTS * REQUESTS), r.statuses(), r.describe());
            }
            assertEquals(before.ndArrays(), after.ndArrays(), "NDArrays left alive by the run");
            assertEquals(before.ndArrays(), afterAgain.ndArrays(), "NDArrays left alive by the second run");
            long growth = afterAgain.offHeap() - before.offHeap();
            assertTrue(growth < NATIVE_GROWTH_LIMIT, "memory outside the Java heap grew by " + (growth >> 20)
                    + " MiB over " + (report.requests() + again.requests()) + " requests");
        }
    }

    /**
     * Resident memory after a garbage collection (so that freed Java objects release their native
     * arrays), and how much of it the Java heap may account for: {@code offHeap} is resident
     * memory less the heap's committed size, i.e. PyTorch's and the JVM's native memory.
     */
    record Memory(long rss, long heapCommitted, long direct, int threads, int ndArrays) {

        long offHeap() {
            return rss - heapCommitted;
        }

        static Memory settled() throws IOException, InterruptedException {
            System.gc();
            Thread.sleep(500);
            long heap = java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted();
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    long direct = java.lang.management.ManagementFactory.getPlatformMXBeans(
                            java.lang.management.BufferPoolMXBean.class).stream()
                            .mapToLong(java.lang.management.BufferPoolMXBean::getMemoryUsed).sum();
                    return new Memory(Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024, heap, direct,
                            Thread.activeCount(), liveNdArrays());
                }
            }
            throw new IllegalStateException("no VmRSS in /proc/self/status");
        }

        /** Every NDArray alive in the process: those of every manager under the engine's system manager. */
        static int liveNdArrays() {
            try (ai.djl.ndarray.NDManager probe = ai.djl.ndarray.NDManager.newBaseManager()) {
                return probe.getParentManager().getManagedArrays().size();
            }
        }

        @Override
        public String toString() {
            return String.format(java.util.Locale.ROOT, "%d live NDArrays; resident %d MiB, Java heap committed %d MiB, outside the"
                    + " heap %d MiB (NIO buffers %d MiB), %d threads", ndArrays, rss >> 20, heapCommitted >> 20,
                    offHeap() >> 20, direct >> 20, threads);
        }
    }
}
