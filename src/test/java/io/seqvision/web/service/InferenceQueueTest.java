package io.seqvision.web.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqvision.web.ApiException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class InferenceQueueTest {

    @Test
    void aFullQueueIsRefusedAtOnceWith503() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService callers = Executors.newFixedThreadPool(2);
        try (InferenceQueue queue = new InferenceQueue(1, 1, Duration.ofSeconds(30))) {
            Future<String> first = callers.submit(() -> queue.run(deadline -> {
                started.countDown();
                await(release);
                return "first";
            }));
            assertTrue(started.await(10, TimeUnit.SECONDS));
            Future<String> second = callers.submit(() -> queue.run(deadline -> "second"));
            waitUntil(() -> queue.waiting() == 1);
            assertEquals(1, queue.running());

            ApiException refused = assertThrows(ApiException.class, () -> queue.run(deadline -> "third"));
            assertEquals(503, refused.status());
            assertEquals("queue_full", refused.code());
            assertTrue(refused.getMessage().contains("1 decoding, 1 waiting"), refused.getMessage());

            release.countDown();
            assertEquals("first", first.get(10, TimeUnit.SECONDS));
            assertEquals("second", second.get(10, TimeUnit.SECONDS));
            assertEquals("again", queue.run(deadline -> "again"), "room again once the jobs are done");
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void aJobThatChecksItsDeadlineStopsAt504() {
        AtomicInteger steps = new AtomicInteger();
        AtomicBoolean stopped = new AtomicBoolean();
        try (InferenceQueue queue = new InferenceQueue(1, 0, Duration.ofMillis(200))) {
            long start = System.nanoTime();
            TimeLimitExceededException e = assertThrows(TimeLimitExceededException.class, () -> queue.run(deadline -> {
                try {
                    while (true) {
                        deadline.check();
                        steps.incrementAndGet();
                        sleep(5);
                    }
                } finally {
                    stopped.set(true);
                }
            }));
            assertEquals(504, e.status());
            assertEquals("time_limit", e.code());
            assertTrue(e.getMessage().contains("200 ms"), e.getMessage());
            long elapsedMs = (System.nanoTime() - start) / 1_000_000;
            assertTrue(elapsedMs >= 200, "not before the limit: " + elapsedMs);
            waitUntil(stopped::get);
            assertTrue(steps.get() > 0, "the job ran until the deadline");
        }
    }

    @Test
    void aJobThatIgnoresItsDeadlineIsAbandonedAndInterrupted() throws Exception {
        CompletableFuture<Boolean> interrupted = new CompletableFuture<>();
        try (InferenceQueue queue = new InferenceQueue(1, 0, Duration.ofMillis(100))) {
            assertThrows(TimeLimitExceededException.class, () -> queue.run(deadline -> {
                try {
                    Thread.sleep(20_000);
                    interrupted.complete(false);
                } catch (InterruptedException e) {
                    interrupted.complete(true);
                }
                return "late";
            }));
            assertTrue(interrupted.get(10, TimeUnit.SECONDS), "the worker was interrupted when the caller gave up");
        }
    }

    @Test
    void aJobWaitingPastItsDeadlineNeverRuns() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean secondRan = new AtomicBoolean();
        ExecutorService callers = Executors.newFixedThreadPool(1);
        try (InferenceQueue queue = new InferenceQueue(1, 1, Duration.ofMillis(300))) {
            Future<?> first = callers.submit(() -> {
                try {
                    queue.run(deadline -> {
                        started.countDown();
                        await(release);
                        return null;
                    });
                } catch (TimeLimitExceededException expected) {
                    // the first job outlives its own limit too
                }
            });
            assertTrue(started.await(10, TimeUnit.SECONDS));
            assertThrows(TimeLimitExceededException.class, () -> queue.run(deadline -> {
                secondRan.set(true);
                return null;
            }));
            assertEquals(0, queue.waiting(), "the abandoned job gave its place in the queue back");
            release.countDown();
            first.get(10, TimeUnit.SECONDS);
            assertEquals("next", queue.run(deadline -> "next"));
            assertTrue(!secondRan.get(), "a job whose caller gave up in the queue is not run");
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void failuresReachTheCallerUnchanged() {
        try (InferenceQueue queue = new InferenceQueue(2, 2, Duration.ofSeconds(5))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> queue.run(deadline -> {
                throw new IllegalArgumentException("bad input x");
            }));
            assertEquals("bad input x", e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> new InferenceQueue(0, 1, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new InferenceQueue(1, -1, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> new InferenceQueue(1, 1, Duration.ZERO));
    }

    @Test
    void aClosedQueueRefusesWork() {
        InferenceQueue queue = new InferenceQueue(1, 1, Duration.ofSeconds(5));
        queue.close();
        ApiException e = assertThrows(ApiException.class, () -> queue.run(deadline -> "x"));
        assertEquals(503, e.status());
        assertEquals("shutting_down", e.code());
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("condition not reached in 10 s");
            }
            sleep(2);
        }
    }
}
