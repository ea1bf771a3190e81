package io.seqvision.tasks.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.seqvision.decoder.EncoderDecoderModel;
import io.seqvision.decoder.generate.GenerationOptions;
import io.seqvision.decoder.generate.GenerationResult;
import io.seqvision.decoder.generate.Generator;
import io.seqvision.decoder.generate.Sampler;
import io.seqvision.decoder.generate.SamplingStrategy;
import io.seqvision.tasks.config.EvalConfig;
import io.seqvision.tasks.config.SeqVisionConfig;
import io.seqvision.tasks.data.DetectionDataset;
import io.seqvision.tasks.data.DetectionExample;
import io.seqvision.tasks.data.ImagePreprocessor;
import io.seqvision.tasks.detection.DetectionSetup;
import io.seqvision.tasks.metrics.ApResult;
import io.seqvision.tasks.metrics.BoxApEvaluator;
import io.seqvision.tasks.metrics.DetectionBox;
import io.seqvision.tasks.metrics.GroundTruthBox;
import io.seqvision.tokenizers.TokenBox;
import io.seqvision.tokenizers.Vocabulary;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes every held-out image with constrained generation and scores the boxes with COCO box AP.
 * Ground-truth areas are box areas (the detection examples carry no masks); crowd regions are not
 * represented, which matches data without crowd annotations such as shapes.
 */
public final class DetectionEvaluator {

    private DetectionEvaluator() {}

    /** The sampler an eval config names, fresh and seeded. */
    public static Sampler sampler(EvalConfig eval, long seed) {
        return SamplingStrategy.named(eval.sampler()).create(eval.temperature(), eval.topK(), eval.topP(), seed);
    }

    /** Evaluates on {@code data}, whose pixels were prepared at the config's image size. */
    public static EvaluationResult evaluate(EncoderDecoderModel model, DetectionSetup setup, DetectionDataset data,
            SeqVisionConfig config, NDManager manager) {
        EvalConfig eval = config.eval();
        int count = eval.maxImages() > 0 ? Math.min(eval.maxImages(), data.size()) : data.size();
        ImagePreprocessor images = new ImagePreprocessor(config.model().imageSize());
        GenerationOptions options = new GenerationOptions(
                setup.maxLength() - 1, Vocabulary.EOS, sampler(eval, config.seed()), setup.task()::allowedNext);
        ParameterStore parameterStore = new ParameterStore(manager, false);
        List<ImagePredictions> predictions = new ArrayList<>();
        List<GroundTruthBox> truths = new ArrayList<>();
        List<DetectionBox> detections = new ArrayList<>();
        long started = System.nanoTime();
        for (int start = 0; start < count; start += eval.batchSize()) {
            int end = Math.min(count, start + eval.batchSize());
            List<DetectionExample> batch = data.examples().subList(start, end);
            GenerationResult result = generate(model, parameterStore, images, setup, batch, options, manager);
            for (int i = 0; i < batch.size(); i++) {
                DetectionExample example = batch.get(i);
                int[] tokens = result.tokens(i);
                List<TokenBox> boxes = setup.task().decode(tokens, result.probabilities(i));
                predictions.add(new ImagePredictions(example.imageId(), tokens, boxes));
                for (TokenBox box : boxes) {
                    detections.add(toDetection(example, box, data.categoryIds()));
                }
                for (TokenBox box : example.boxes()) {
                    truths.add(toGroundTruth(example, box, data.categoryIds()));
                }
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        ApResult ap = BoxApEvaluator.evaluate(truths, detections);
        return new EvaluationResult(ap, predictions, count / Math.max(seconds, 1e-9));
    }

    private static GenerationResult generate(EncoderDecoderModel model, ParameterStore parameterStore,
            ImagePreprocessor images, DetectionSetup setup, List<DetectionExample> batch, GenerationOptions options,
            NDManager manager) {
        int side = images.side();
        float[] pixels = new float[batch.size() * 3 * side * side];
        int[][] prompts = new int[batch.size()][];
        for (int i = 0; i < batch.size(); i++) {
            images.normalizeInto(batch.get(i).pixels(), false, pixels, i);
            prompts[i] = setup.task().prompt(List.of());
        }
        try (NDManager batchManager = manager.newSubManager(); NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            NDArray imageArray = batchManager.create(pixels, new Shape(batch.size(), 3, side, side));
            return Generator.generate(model, parameterStore, imageArray, prompts, options);
        }
    }

    static DetectionBox toDetection(DetectionExample example, TokenBox box, List<Integer> categoryIds) {
        double x = box.xmin() * example.width();
        double y = box.ymin() * example.height();
        return new DetectionBox(example.imageId(), categoryIds.get(box.classIndex()), x, y,
                (box.xmax() - box.xmin()) * example.width(), (box.ymax() - box.ymin()) * example.height(),
                box.score());
    }

    static GroundTruthBox toGroundTruth(DetectionExample example, TokenBox box, List<Integer> categoryIds) {
        double w = (box.xmax() - box.xmin()) * example.width();
        double h = (box.ymax() - box.ymin()) * example.height();
        return GroundTruthBox.of(example.imageId(), categoryIds.get(box.classIndex()),
                box.xmin() * example.width(), box.ymin() * example.height(), w, h);
    }
}
