package io.seqvision.web.service;

import io.seqvision.decoder.generate.BatchingDecoder;
import io.seqvision.tasks.DecodingOptions;
import io.seqvision.tasks.TaskKind;
import io.seqvision.tasks.api.Analysis;
import io.seqvision.tasks.api.SeqVisionModel;
import io.seqvision.tasks.model.ModelBundle;
import io.seqvision.web.api.DecodingView;
import io.seqvision.web.api.ModelDescription;
import io.seqvision.web.api.Prediction;
import io.seqvision.web.api.SharedDecoding;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The web layer's model: a {@link SeqVisionModel} loaded from a model directory, offering the
 * tasks it was trained for. One {@link SeqVisionModel#analyze} call per request runs every asked
 * task on one encoding of the image; the request's {@link Deadline} is checked before every
 * decoding step, so a request past its time stops at the next token. {@link PredictionJson} turns
 * the result into the response.
 */
public final class SeqVisionInferenceService implements InferenceService, AutoCloseable {

    private final SeqVisionModel model;
    private final ModelDescription description;
    private final PredictionJson json;

    private SeqVisionInferenceService(SeqVisionModel model, ModelBundle bundle) {
        this.model = model;
        List<String> tasks = new ArrayList<>();
        for (WebTask task : WebTask.values()) {
            if (model.tasks().contains(task.kind())) {
                tasks.add(task.apiName());
            }
        }
        this.description = new ModelDescription(bundle.config().name(), bundle.config().model().encoder(),
                model.imageSize(), model.classNames(), tasks, DecodingView.of(model.defaultDecoding()), bundle.step());
        this.json = new PredictionJson(description.name(), new TokenLabels(model.vocabulary(), model.classNames()),
                model::tokenText);
    }

    /** Loads the model directory written by training; each request decodes alone. */
    public static SeqVisionInferenceService load(Path modelDir) {
        return load(modelDir, 0);
    }

    /**
     * Loads the model directory written by training.
     *
     * @param batchRows with 1 or more, concurrent requests share decoding steps, at most that many
     *     sequences a step ({@link SeqVisionModel#loadBatching}); 0: each request decodes alone
     */
    public static SeqVisionInferenceService load(Path modelDir, int batchRows) {
        if (batchRows < 0) {
            throw new IllegalArgumentException("--batch-rows must be 0 or more, got " + batchRows);
        }
        ModelBundle bundle = ModelBundle.read(modelDir);
        SeqVisionModel model = batchRows > 0 ? SeqVisionModel.loadBatching(modelDir, batchRows)
                : SeqVisionModel.load(modelDir);
        return new SeqVisionInferenceService(model, bundle);
    }

    /** The directory the model was loaded from. */
    public Path modelDirectory() {
        return model.directory();
    }

    @Override
    public ModelDescription describe() {
        return description;
    }

    @Override
    public Prediction predict(PredictionRequest request, Deadline deadline) {
        Set<TaskKind> kinds = EnumSet.noneOf(TaskKind.class);
        for (WebTask task : request.tasks()) {
            if (!description.tasks().contains(task.apiName())) {
                throw new IllegalArgumentException("model " + description.name() + " supports only "
                        + description.tasks() + ", not " + task.apiName());
            }
            kinds.add(task.kind());
        }
        DecodingOptions options = request.decoding();
        long start = System.nanoTime();
        BufferedImage image = request.image();
        Analysis analysis = model.analyze(image, kinds, options, deadline::check);

        double elapsedMs = (System.nanoTime() - start) / 1e6;
        return json.prediction(analysis, request.tasks(),
                DecodingView.of(options == null ? model.defaultDecoding() : options), elapsedMs);
    }

    @Override
    public SharedDecoding sharedDecoding() {
        BatchingDecoder.Counters counters = model.batchingCounters();
        if (counters == null) {
            return null;
        }
        return new SharedDecoding(model.batchRows(), counters.steps(), counters.meanRows(),
                counters.decoderMsPerStep(), counters.hostMsPerStep());
    }

    @Override
    public void close() {
        model.close();
    }
}
