/**
 * The browser demo and REST API on Javalin. {@link io.seqvision.web.WebMain} ({@code seqvision
 * serve}) loads a model directory and starts {@link io.seqvision.web.WebServer}; controllers do
 * IO only and call services given to them: {@code service.InferenceService} (one implementation
 * over the {@code io.seqvision.tasks.api} facade), the bounded {@code service.InferenceQueue},
 * {@code image.UploadedImageReader}, and the model panels' {@code insight.ModelInsights}. The JSON
 * records are in {@code api}; the page's files in {@code public/}.
 */
package io.seqvision.web;
