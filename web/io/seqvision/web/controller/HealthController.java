package io.seqvision.web.controller;

import io.javalin.http.Context;
import io.seqvision.web.api.Health;
import io.seqvision.web.service.InferenceQueue;
import io.seqvision.web.service.InferenceService;

/** {@code GET /api/health}. */
public final class HealthController {

    private final InferenceService service;
    private final InferenceQueue queue;
    private final long startedNanos = System.nanoTime();

    public HealthController(InferenceService service, InferenceQueue queue) {
        this.service = service;
        this.queue = queue;
    }

    public void health(Context ctx) {
        long uptime = (System.nanoTime() - startedNanos) / 1_000_000_000L;
        ctx.json(new Health("ok", service.describe().name(), queue.running(), queue.waiting(), uptime,
                service.sharedDecoding()));
    }
}
