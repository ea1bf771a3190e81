package io.seqvision.web.controller;

import io.javalin.http.Context;
import io.seqvision.web.ApiException;
import io.seqvision.web.insight.SampleImages;

/** {@code GET /api/samples} and {@code GET /api/samples/{name}}. */
public final class SampleController {

    private final SampleImages samples;

    public SampleController(SampleImages samples) {
        this.samples = samples;
    }

    public void list(Context ctx) {
        ctx.json(samples.list());
    }

    public void image(Context ctx) {
        String name = ctx.pathParam("name");
        byte[] png = samples.png(name).orElseThrow(() -> ApiException.notFound("no_sample",
                "no sample named '" + name + "'; see GET /api/samples"));
        ctx.contentType("image/png").result(png);
    }
}
