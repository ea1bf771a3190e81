package io.seqvision.web.service;

import io.seqvision.decoder.generate.TokenConstraint;
import io.seqvision.tasks.api.DecodingOptions;
import io.seqvision.tasks.api.Detection;
import io.seqvision.tasks.api.DetectionResult;
import io.seqvision.tasks.api.Generation;
import io.seqvision.tasks.api.SeqVisionModel;
import io.seqvision.tasks.model.ModelBundle;
import io.seqvision.tokenizers.BoxTokenizer;
import io.seqvision.tokenizers.TokenBox;
import io.seqvision.tokenizers.Vocabulary;
import io.seqvision.web.api.Box;
import io.seqvision.web.api.DecodingView;
import io.seqvision.web.api.ModelDescription;
import io.seqvision.web.api.PredictedObject;
import io.seqvision.web.api.Prediction;
import io.seqvision.web.api.TokenSequence;
import io.seqvision.web.api.TokenSpan;
import io.seqvision.web.api.TokenView;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The web layer's model: a {@link SeqVisionModel} loaded from a model directory. Detection only
 * until the multi-task models land; {@link #describe()} says so, and the page offers only that.
 *
 * <p>Decoding is {@link SeqVisionModel#generate} with the model's detection grammar, wrapped so
 * that every step first checks the request's {@link Deadline}: the tokens, and so the objects, are
 * those {@link SeqVisionModel#detect} gives for the same options, but a request past its time
 * stops at the next token.
 */
public final class SeqVisionInferenceService implements InferenceService, AutoCloseable {

    private static final int OBJECT_TOKENS = BoxTokenizer.TOKENS_PER_OBJECT;

    private final SeqVisionModel model;
    private final ModelDescription description;
    private final TokenLabels labels;
    private final BoxTokenizer singleObject;

    private SeqVisionInferenceService(SeqVisionModel model, ModelBundle bundle) {
        this.model = model;
        this.description = new ModelDescription(bundle.config().name(), bundle.config().model().encoder(),
                model.imageSize(), model.classNames(), List.of(WebTask.DETECTION.apiName()),
                DecodingView.of(model.defaultDecoding()), bundle.step());
        this.labels = new TokenLabels(model.vocabulary(), model.classNames());
        // reads one object's five tokens at a time, so that each box keeps its token span
        this.singleObject = new BoxTokenizer(model.vocabulary(), 1);
    }

    /** Loads the model directory written by training. */
    public static SeqVisionInferenceService load(Path modelDir) {
        ModelBundle bundle = ModelBundle.read(modelDir);
        return new SeqVisionInferenceService(SeqVisionModel.load(modelDir), bundle);
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
        for (WebTask task : request.tasks()) {
            if (task != WebTask.DETECTION) {
                throw new IllegalArgumentException("model " + description.name() + " supports only "
                        + description.tasks() + ", not " + task.apiName());
            }
        }
        DecodingOptions options = request.decoding() == null ? model.defaultDecoding() : request.decoding();
        long start = System.nanoTime();
        BufferedImage image = request.image();
        int[] prompt = {Vocabulary.PROMPT_DETECTION};
        TokenConstraint grammar = model.detectionGrammar();
        TokenConstraint timed = (generated, allowed) -> {
            deadline.check();
            grammar.allowedNext(generated, allowed);
        };
        Generation generation = model.generate(image, prompt, options, timed);
        int[] tokens = generation.tokens();
        float[] probabilities = generation.probabilities();

        List<TokenView> views = new ArrayList<>(tokens.length + 2);
        views.add(labels.prompt(prompt[0]));
        for (int i = 0; i < tokens.length; i++) {
            views.add(labels.detection(tokens[i], i, probabilities[i]));
        }
        if (generation.ended()) {
            views.add(labels.end());
        }

        List<PredictedObject> objects = new ArrayList<>();
        for (int at = 0; at + OBJECT_TOKENS <= tokens.length; at += OBJECT_TOKENS) {
            List<TokenBox> box = singleObject.decode(Arrays.copyOfRange(tokens, at, at + OBJECT_TOKENS),
                    Arrays.copyOfRange(probabilities, at, at + OBJECT_TOKENS));
            if (box.isEmpty()) {
                break;
            }
            Detection d = DetectionResult.fromNormalized(box, model.classNames(), image.getWidth(),
                    image.getHeight(), generation).detections().get(0);
            TokenSpan span = new TokenSpan(0, prompt.length + at, prompt.length + at + OBJECT_TOKENS);
            objects.add(PredictedObject.detected(objects.size(), d.className(), d.classIndex(), d.score(),
                    new Box(d.xmin(), d.ymin(), d.xmax(), d.ymax()), span));
        }
        double elapsedMs = (System.nanoTime() - start) / 1e6;
        return new Prediction(description.name(), image.getWidth(), image.getHeight(),
                List.of(WebTask.DETECTION.apiName()), objects, null, null,
                List.of(new TokenSequence(WebTask.DETECTION.apiName(), views, generation.ended())),
                DecodingView.of(options), elapsedMs);
    }

    @Override
    public void close() {
        model.close();
    }
}
