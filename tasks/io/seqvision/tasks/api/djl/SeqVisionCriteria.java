package io.seqvision.tasks.api.djl;

import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.output.DetectedObjects;
import ai.djl.repository.zoo.Criteria;
import java.nio.file.Path;

/**
 * DJL model loading for seqvision model directories.
 *
 * <pre>{@code
 * Criteria<Image, DetectedObjects> criteria = SeqVisionCriteria.detection(modelDir)
 *         .optArgument("sampler", "nucleus")   // optional: override the config's decoding
 *         .build();
 * try (ZooModel<Image, DetectedObjects> model = criteria.loadModel();
 *         Predictor<Image, DetectedObjects> predictor = model.newPredictor()) {
 *     DetectedObjects objects = predictor.predict(ImageFactory.getInstance().fromFile(imageFile));
 * }
 * }</pre>
 *
 * <p>What it sets, for those who write the criteria by hand: {@code setTypes(Image.class,
 * DetectedObjects.class)}, {@code optModelPath(modelDir)}, {@code optEngine("PyTorch")}, {@code
 * optArgument("blockFactory", new DetectionBlockFactory())}, {@code optOption("hasParameter",
 * "false")} (the factory loads {@code model.params} itself) and {@code optTranslator(new
 * DetectionTranslator())}. Nothing is downloaded: the model path is a local directory.
 */
public final class SeqVisionCriteria {

    private SeqVisionCriteria() {}

    /** A criteria builder for object detection with the model in {@code modelDir}. */
    public static Criteria.Builder<Image, DetectedObjects> detection(Path modelDir) {
        return Criteria.builder()
                .setTypes(Image.class, DetectedObjects.class)
                .optModelPath(modelDir)
                .optEngine("PyTorch")
                .optArgument("blockFactory", new DetectionBlockFactory())
                .optOption("hasParameter", "false")
                .optTranslator(new DetectionTranslator());
    }
}
