package io.seqvision.web.controller;

import io.javalin.http.Context;
import io.seqvision.tasks.DecodingOptions;
import io.seqvision.web.ApiException;
import io.seqvision.web.api.DecodingView;
import io.seqvision.web.api.ModelDescription;
import io.seqvision.web.api.Prediction;
import io.seqvision.web.image.UploadedImageReader;
import io.seqvision.web.service.InferenceQueue;
import io.seqvision.web.service.InferenceService;
import io.seqvision.web.service.PredictionRequest;
import io.seqvision.web.service.WebTask;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * {@code POST /api/predict}: an image in, the prediction out. Parameters (query string, or form
 * fields of a multipart upload): {@code tasks} (comma-separated, default {@code detection}), and
 * optionally {@code sampler}, {@code temperature}, {@code top_k}, {@code top_p}, {@code seed},
 * each overriding the model's default decoding.
 */
public final class PredictController {

    private final InferenceService service;
    private final InferenceQueue queue;
    private final UploadedImageReader images;
    private final long maxUploadBytes;

    public PredictController(
            InferenceService service, InferenceQueue queue, UploadedImageReader images, long maxUploadBytes) {
        this.service = service;
        this.queue = queue;
        this.images = images;
        this.maxUploadBytes = maxUploadBytes;
    }

    public void predict(Context ctx) {
        byte[] upload = UploadBody.read(ctx, maxUploadBytes);
        List<WebTask> tasks = supportedTasks(param(ctx, "tasks"));
        DecodingOptions decoding = decoding(ctx);
        BufferedImage image = images.read(upload);
        PredictionRequest request = new PredictionRequest(image, tasks, decoding);
        Prediction prediction = queue.run(deadline -> service.predict(request, deadline));
        ctx.json(prediction);
    }

    private List<WebTask> supportedTasks(String names) {
        List<WebTask> tasks = WebTask.parseList(names == null ? WebTask.DETECTION.apiName() : names);
        ModelDescription model = service.describe();
        for (WebTask task : tasks) {
            if (!model.tasks().contains(task.apiName())) {
                throw ApiException.badRequest("unsupported_task", "the model '" + model.name() + "' was not trained for "
                        + task.apiName() + "; it supports: " + String.join(", ", model.tasks()));
            }
        }
        return tasks;
    }

    private DecodingOptions decoding(Context ctx) {
        String sampler = param(ctx, "sampler");
        String temperature = param(ctx, "temperature");
        String topK = param(ctx, "top_k");
        String topP = param(ctx, "top_p");
        String seed = param(ctx, "seed");
        if (sampler == null && temperature == null && topK == null && topP == null && seed == null) {
            return null;
        }
        DecodingView base = service.describe().decoding();
        try {
            return new DecodingOptions(
                    sampler == null ? base.sampler() : sampler,
                    temperature == null ? base.temperature() : number("temperature", temperature),
                    topK == null ? base.topK() : (int) integer("top_k", topK),
                    topP == null ? base.topP() : number("top_p", topP),
                    seed == null ? base.seed() : integer("seed", seed),
                    0, true);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("bad_decoding", e.getMessage());
        }
    }

    private static String param(Context ctx, String name) {
        String value = ctx.queryParam(name);
        if (value == null && ctx.isMultipartFormData()) {
            value = ctx.formParam(name);
        }
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static double number(String name, String value) {
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("bad_decoding", name + " must be a number, got '" + value + "'");
        }
    }

    private static long integer(String name, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("bad_decoding", name + " must be an integer, got '" + value + "'");
        }
    }
}
