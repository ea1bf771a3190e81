package io.seqvision.tasks.data;

import io.seqvision.tasks.data.coco.CocoAnnotation;
import io.seqvision.tasks.data.coco.CocoBox;
import io.seqvision.tasks.data.coco.CocoImage;
import io.seqvision.tasks.data.coco.CocoInstances;
import io.seqvision.tasks.data.coco.CocoLoader;
import io.seqvision.tokenizers.TokenBox;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a COCO instances split into detection examples: images decoded and resized once (in
 * parallel), boxes normalised, crowd regions left out. Class indices follow category ids in
 * ascending order, or a given class list so that a held-out split uses its training split's.
 */
public final class CocoDetectionData {

    private CocoDetectionData() {}

    /** Loads a split, taking its classes from its own categories. */
    public static DetectionDataset load(Path annotations, Path images, ImagePreprocessor preprocessor) {
        return load(CocoLoader.loadInstances(annotations, images), preprocessor, null);
    }

    /**
     * Loads a split whose class indices must match {@code classes} (category ids by class index).
     *
     * @throws DatasetException if the split has a category id that {@code classes} lacks
     */
    public static DetectionDataset load(Path annotations, Path images, ImagePreprocessor preprocessor,
            List<Integer> classes) {
        return load(CocoLoader.loadInstances(annotations, images), preprocessor, classes);
    }

    static DetectionDataset load(CocoInstances coco, ImagePreprocessor preprocessor, List<Integer> classes) {
        ClassIndex index = new ClassIndex(coco.categories(), classes);
        index.requireAll(coco.annotationFile(), coco.categories());
        List<DetectionExample> examples = coco.images().parallelStream()
                .map(image -> example(coco, image, preprocessor, index))
                .toList();
        return new DetectionDataset(examples, index.classNames(), index.categoryIds());
    }

    private static DetectionExample example(CocoInstances coco, CocoImage image, ImagePreprocessor preprocessor,
            ClassIndex index) {
        byte[] pixels = preprocessor.toPlanarRgb(ImagePreprocessor.read(coco.imagePath(image)));
        List<TokenBox> boxes = new ArrayList<>();
        for (CocoAnnotation annotation : coco.annotationsOf(image.id())) {
            if (annotation.crowd()) {
                continue;
            }
            CocoBox b = annotation.bbox();
            double w = image.width();
            double h = image.height();
            boxes.add(new TokenBox(clamp(b.y() / h), clamp(b.x() / w), clamp((b.y() + b.height()) / h),
                    clamp((b.x() + b.width()) / w), index.indexOf(annotation.categoryId())));
        }
        return new DetectionExample(image.id(), image.width(), image.height(), pixels, boxes);
    }

    private static double clamp(double v) {
        return Math.max(0, Math.min(1, v));
    }
}
