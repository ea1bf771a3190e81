package io.seqvision.tasks.api.djl;

import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.output.DetectedObjects;
import ai.djl.modality.cv.output.Joints;
import ai.djl.repository.zoo.Criteria;
import io.seqvision.tasks.TaskKind;
import java.nio.file.Path;
import java.util.List;

/**
 * DJL model loading for seqvision model directories, one criteria per task.
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
 * <p>{@link #detection}: {@code DetectedObjects}; {@link #masks}: {@code DetectedObjects} whose
 * boxes are {@code Mask}s; {@link #poses}: one {@code Joints} per person; {@link #captions}: the
 * caption. What each sets, for those who write the criteria by hand: {@code setTypes}, {@code
 * optModelPath(modelDir)}, {@code optEngine("PyTorch")}, {@code optArgument("blockFactory", new
 * SeqVisionBlockFactory())}, {@code optArgument("task", <task>)}, {@code optOption("hasParameter",
 * "false")} (the factory loads {@code model.params} itself) and {@code optTranslator} with the
 * task's translator. Nothing is downloaded: the model path is a local directory.
 */
public final class SeqVisionCriteria {

    private SeqVisionCriteria() {}

    /** Object detection with the model in {@code modelDir}. */
    public static Criteria.Builder<Image, DetectedObjects> detection(Path modelDir) {
        return of(modelDir, TaskKind.DETECTION, DetectedObjects.class, new DetectionTranslator());
    }

    /** Instance masks of the detected objects. */
    public static Criteria.Builder<Image, DetectedObjects> masks(Path modelDir) {
        return of(modelDir, TaskKind.SEGMENTATION, DetectedObjects.class, new MaskTranslator());
    }

    /** The pose of each detected person. */
    @SuppressWarnings("unchecked")
    public static Criteria.Builder<Image, List<Joints>> poses(Path modelDir) {
        Class<List<Joints>> type = (Class<List<Joints>>) (Class<?>) List.class;
        return of(modelDir, TaskKind.KEYPOINTS, type, new PoseTranslator());
    }

    /** A caption of the image. */
    public static Criteria.Builder<Image, String> captions(Path modelDir) {
        return of(modelDir, TaskKind.CAPTIONING, String.class, new CaptionTranslator());
    }

    private static <O> Criteria.Builder<Image, O> of(Path modelDir, TaskKind task, Class<O> output,
            SeqVisionTranslator<O> translator) {
        return Criteria.builder()
                .setTypes(Image.class, output)
                .optModelPath(modelDir)
                .optEngine("PyTorch")
                .optArgument("blockFactory", new SeqVisionBlockFactory())
                .optArgument("task", task.id())
                .optOption("hasParameter", "false")
                .optTranslator(translator);
    }
}
