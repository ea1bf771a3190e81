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
 * pycocotools' COCOeval (evaluate, accumulate, summarize) with default parameters, generic over
 * the similarity that matches a detection to a ground truth: box IoU ('bbox'), mask IoU ('segm')
 * or object keypoint similarity ('keypoints').
 *
 * <p>Categories are those of the ground truths; detections of any other category, or on images
 * outside the evaluated set, are dropped, as COCOeval drops results that are not in its ground
 * truth file. Per image and category the detections are ranked by score (ties keep input order)
 * and cut to the largest detection limit of the stats before the similarity is computed. Equal
 * scores across images rank by ascending image id.
 */
final class CocoEvaluation {

    /** The matching criterion: higher is better, compared against thresholds 0.50:0.05:0.95. */
    @FunctionalInterface
    interface Similarity<G, D> {
        double between(D detection, G groundTruth);
    }

    private CocoEvaluation() {}

    /**
     * @param imageIds the images to evaluate, like COCOeval's params.imgIds; null means the images
     *     that have a ground truth
     * @return the stats' values, in their order
     */
    static <G extends CocoGroundTruth, D extends CocoDetection> double[] summarize(
            Collection<G> groundTruths, Collection<D> detections, Collection<Long> imageIds,
            Similarity<G, D> similarity, List<CocoStat> stats) {
        Objects.requireNonNull(groundTruths, "groundTruths");
        Objects.requireNonNull(detections, "detections");
        Set<Long> images = imageIds == null ? null : imageSet(imageIds);

        // category -> image (ascending, as COCO sorts imgIds) -> that image's annotations of the category
        Map<Integer, TreeMap<Long, Cell<G, D>>> cells = new TreeMap<>();
        int index = 0;
        for (G gt : groundTruths) {
            requireElement(gt, "groundTruths", index++);
            if (images == null || images.contains(gt.imageId())) {
                cells.computeIfAbsent(gt.categoryId(), c -> new TreeMap<>())
                        .computeIfAbsent(gt.imageId(), i -> new Cell<>()).groundTruths.add(gt);
            }
        }
        Set<Long> evaluatedImages = images != null ? images : groundTruthImages(cells);
        index = 0;
        for (D det : detections) {
            requireElement(det, "detections", index++);
            TreeMap<Long, Cell<G, D>> byImage = cells.get(det.categoryId());
            if (byImage != null && evaluatedImages.contains(det.imageId())) {
                byImage.computeIfAbsent(det.imageId(), i -> new Cell<>()).detections.add(det);
            }
        }

        int largestMaxDetections = stats.stream().mapToInt(CocoStat::maxDetections).max().orElseThrow();
        Set<AreaRange> ranges = new HashSet<>();
        stats.forEach(stat -> ranges.add(stat.range()));
        CocoSummary summary = new CocoSummary(stats);
        for (TreeMap<Long, Cell<G, D>> byImage : cells.values()) {
            summary.add(matchCategory(byImage, similarity, ranges, largestMaxDetections));
        }
        return summary.values();
    }

    private static <G extends CocoGroundTruth, D extends CocoDetection> Map<AreaRange, List<ImageMatch>> matchCategory(
            TreeMap<Long, Cell<G, D>> byImage, Similarity<G, D> similarity, Set<AreaRange> ranges, int maxDetections) {
        Map<AreaRange, List<ImageMatch>> matches = new EnumMap<>(AreaRange.class);
        for (AreaRange range : ranges) {
            matches.put(range, new ArrayList<>(byImage.size()));
        }
        for (Cell<G, D> cell : byImage.values()) {
            List<D> ranked = new ArrayList<>(cell.detections);
            ranked.sort(CocoEvaluation::byScoreDescending); // List.sort is stable, like mergesort
            ranked = ranked.subList(0, Math.min(ranked.size(), maxDetections));
            double[][] matrix = new double[ranked.size()][cell.groundTruths.size()];
            for (int d = 0; d < ranked.size(); d++) {
                for (int g = 0; g < cell.groundTruths.size(); g++) {
                    matrix[d][g] = similarity.between(ranked.get(d), cell.groundTruths.get(g));
                }
            }
            ImageCategoryMatcher matcher = new ImageCategoryMatcher(cell.groundTruths, ranked, matrix);
            for (AreaRange range : ranges) {
                matches.get(range).add(matcher.match(range));
            }
        }
        return matches;
    }

    /** Compares by value so that 0.0 and -0.0 tie, as numpy's sort does. */
    static int byScoreDescending(CocoDetection a, CocoDetection b) {
        if (a.score() == b.score()) {
            return 0;
        }
        return a.score() > b.score() ? -1 : 1;
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

    private static Set<Long> groundTruthImages(Map<Integer, ? extends Map<Long, ?>> cells) {
        Set<Long> images = new HashSet<>();
        cells.values().forEach(byImage -> images.addAll(byImage.keySet()));
        return images;
    }

    static void requireElement(Object element, String collection, int index) {
        if (element == null) {
            throw new IllegalArgumentException(collection + "[" + index + "] is null");
        }
    }

    private static final class Cell<G, D> {
        final List<G> groundTruths = new ArrayList<>();
        final List<D> detections = new ArrayList<>();
    }
}
