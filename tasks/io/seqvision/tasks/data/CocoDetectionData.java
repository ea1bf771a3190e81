package io.seqvision.tasks.data;

import io.seqvision.tasks.data.coco.CocoAnnotation;
import io.seqvision.tasks.data.coco.CocoBox;
import io.seqvision.tasks.data.coco.CocoCategory;
import io.seqvision.tasks.data.coco.CocoImage;
import io.seqvision.tasks.data.coco.CocoInstances;
import io.seqvision.tasks.data.coco.CocoLoader;
import io.seqvision.tokenizers.TokenBox;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
        List<CocoCategory> categories = new ArrayList<>(coco.categories());
        categories.sort(Comparator.comparingInt(CocoCategory::id));
        List<Integer> categoryIds = classes != null ? classes : categories.stream().map(CocoCategory::id).toList();
        Map<Integer, Integer> indexOfCategory = new HashMap<>();
        for (int i = 0; i < categoryIds.size(); i++) {
            indexOfCategory.put(categoryIds.get(i), i);
        }
        Map<Integer, String> names = new HashMap<>();
        categories.forEach(c -> names.put(c.id(), c.name()));
        for (CocoCategory category : categories) {
            if (!indexOfCategory.containsKey(category.id())) {
                throw new DatasetException(coco.annotationFile() + ": category " + category.id() + " ('"
                        + category.name() + "') is not among the model's classes " + categoryIds);
            }
        }
        List<String> classNames = categoryIds.stream().map(id -> names.getOrDefault(id, "class-" + id)).toList();
        List<CocoImage> cocoImages = coco.images();
        List<DetectionExample> examples = cocoImages.parallelStream()
                .map(image -> example(coco, image, preprocessor, indexOfCategory))
                .toList();
        return new DetectionDataset(examples, classNames, categoryIds);
    }

    private static DetectionExample example(CocoInstances coco, CocoImage image, ImagePreprocessor preprocessor,
            Map<Integer, Integer> indexOfCategory) {
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
                    clamp((b.x() + b.width()) / w), indexOfCategory.get(annotation.categoryId())));
        }
        return new DetectionExample(image.id(), image.width(), image.height(), pixels, boxes);
    }

    private static double clamp(double v) {
        return Math.max(0, Math.min(1, v));
    }
}
