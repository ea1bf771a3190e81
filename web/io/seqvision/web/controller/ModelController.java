package io.seqvision.web.controller;

import io.javalin.http.Context;
import io.seqvision.web.api.KeypointLayout;
import io.seqvision.web.api.ModelOverview;
import io.seqvision.web.api.ServerLimits;
import io.seqvision.web.insight.ModelInsights;
import io.seqvision.web.service.InferenceService;
import io.seqvision.web.service.WebTask;

/** The model panels: {@code GET /api/model}, {@code /api/model/erf}, {@code /api/model/erf.png}, {@code /api/model/metrics}, {@code /api/model/study}. */
public final class ModelController {

    private final InferenceService service;
    private final ModelInsights insights;
    private final ServerLimits limits;

    public ModelController(InferenceService service, ModelInsights insights, ServerLimits limits) {
        this.service = service;
        this.insights = insights;
        this.limits = limits;
    }

    public void overview(Context ctx) {
        ctx.json(new ModelOverview(service.describe(), WebTask.names(), KeypointLayout.COCO, limits));
    }

    public void receptiveField(Context ctx) {
        ctx.json(insights.receptiveField().summary());
    }

    public void receptiveFieldPng(Context ctx) {
        ctx.contentType("image/png").result(insights.receptiveField().png());
    }

    public void learningCurves(Context ctx) {
        ctx.json(insights.learningCurves());
    }

    public void study(Context ctx) {
        ctx.json(insights.study());
    }
}
