package io.seqvision.testing;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Provokes use of freed native memory: collects garbage, so that the direct buffers behind closed
 * Java-backed arrays are freed, then takes small native blocks and fills them with NaN, so that a
 * tensor still reading a freed block reads NaN instead of its old value.
 */
public final class FreedMemoryChurn implements AutoCloseable {

    private final Thread thread;
    private volatile boolean running = true;

    private FreedMemoryChurn() {
        thread = new Thread(() -> {
            while (running) {
                once();
            }
        }, "freed-memory-churn");
        thread.setDaemon(true);
        thread.start();
    }

    /** Churns on a background thread until closed. */
    public static FreedMemoryChurn inBackground() {
        return new FreedMemoryChurn();
    }

    /** One round: a garbage collection, then a few thousand small native blocks filled with NaN. */
    public static void once() {
        System.gc();
        try {
            Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<ByteBuffer> held = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            ByteBuffer block = ByteBuffer.allocateDirect(4 * (1 + i % 8)).order(ByteOrder.nativeOrder());
            while (block.remaining() >= 4) {
                block.putFloat(Float.NaN);
            }
            held.add(block);
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join();
    }
}
