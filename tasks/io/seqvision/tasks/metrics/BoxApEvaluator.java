package io.seqvision.tasks.metrics;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * COCO box average precision, computed exactly as pycocotools' COCOeval with iouType 'bbox' and
 * default parameters: matching per image and category at IoU thresholds 0.50:0.05:0.95, at most
 * 100 detections per image and category, 101-point interpolated precision, averaged over the
 * categories that have at least one counted (non-crowd, in-range) ground truth.
 *
 * <p>Categories are those of the ground truths; detections of any other category, or on images
 * outside the evaluated set, are dropped, as COCOeval drops results that are not in its ground
 * truth file. Equal scores rank as in COCO: by ascending image id across images, by input order
 * within an image and category (which can decide which of them matches). The result is otherwise
 * independent of input order.
 */
public final class BoxApEvaluator {

    private BoxApEvaluator() {}

    /** Evaluates on the images that have at least one ground truth. */
    public static ApResult evaluate(Collection<GroundTruthBox> groundTruths, Collection<DetectionBox> detections) {
        return evaluate(groundTruths, detections, null);
    }

    /**
     * @param imageIds the images to evaluate, like COCOeval's params.imgIds (for COCO val2017 the
     *     images list of the annotation file, which includes images without objects: detections
     *     there are false positives); null means the images that have a ground truth
     */
    public static ApResult evaluate(
            Collection<GroundTruthBox> groundTruths, Collection<DetectionBox> detections, Collection<Long> imageIds) {
        Objects.requireNonNull(groundTruths, "groundTruths");
        Objects.requireNonNull(detections, "detections");
        Set<Long> images = imageIds == null ? null : imageSet(imageIds);

        // category -> image (ascending, as COCO sorts imgIds) -> that image's boxes of the category
        Map<Integer, TreeMap<Long, Cell>> cells = new TreeMap<>();
        int index = 0;
        for (GroundTruthBox gt : groundTruths) {
            requireElement(gt, "groundTruths", index++);
            if (images == null || images.contains(gt.imageId())) {
                cells.computeIfAbsent(gt.categoryId(), c -> new TreeMap<>())
                        .computeIfAbsent(gt.imageId(), i -> new Cell()).groundTruths.add(gt);
            }
        }
        Set<Long> evaluatedImages = images != null ? images : groundTruthImages(cells);
        index = 0;
        for (DetectionBox det : detections) {
            requireElement(det, "detections", index++);
            TreeMap<Long, Cell> byImage = cells.get(det.categoryId());
            if (byImage != null && evaluatedImages.contains(det.imageId())) {
                byImage.computeIfAbsent(det.imageId(), i -> new Cell()).detections.add(det);
            }
        }

        CocoSummary summary = new CocoSummary();
        for (TreeMap<Long, Cell> byImage : cells.values()) {
            summary.add(matchCategory(byImage));
        }
        return summary.result();
    }

    private static Map<AreaRange, List<ImageMatch>> matchCategory(TreeMap<Long, Cell> byImage) {
        Map<AreaRange, List<ImageMatch>> matches = new EnumMap<>(AreaRange.class);
        for (AreaRange range : AreaRange.values()) {
            matches.put(range, new ArrayList<>(byImage.size()));
        }
        for (Cell cell : byImage.values()) {
            ImageCategoryMatcher matcher = new ImageCategoryMatcher(cell.groundTruths, cell.detections);
            for (AreaRange range : AreaRange.values()) {
                matches.get(range).add(matcher.match(range));
            }
        }
        return matches;
    }

    private static Set<Long> imageSet(Collection<Long> imageIds) {
        Set<Long> images = new HashSet<>();
        int index = 0;
        for (Long id : imageIds) {
            if (id == null) {
                throw new IllegalArgumentException("imageIds[" + index + "] is null");
            }
            images.add(id);
            index++;
        }
        return images;
    }

    private static Set<Long> groundTruthImages(Map<Integer, TreeMap<Long, Cell>> cells) {
        Set<Long> images = new HashSet<>();
        cells.values().forEach(byImage -> images.addAll(byImage.keySet()));
        return images;
    }

    private static void requireElement(Object element, String collection, int index) {
        if (element == null) {
            throw new IllegalArgumentException(collection + "[" + index + "] is null");
        }
    }

    private static final class Cell {
        final List<GroundTruthBox> groundTruths = new ArrayList<>();
        final List<DetectionBox> detections = new ArrayList<>();
    }
}
