package io.seqvision.tasks.data;

import io.seqvision.tasks.data.coco.CocoAnnotation;
import io.seqvision.tasks.data.coco.CocoBox;
import io.seqvision.tasks.data.coco.CocoCaptionLoader;
import io.seqvision.tasks.data.coco.CocoCaptions;
import io.seqvision.tasks.data.coco.CocoImage;
import io.seqvision.tasks.data.coco.CocoInstances;
import io.seqvision.tasks.data.coco.CocoKeypoint;
import io.seqvision.tasks.data.coco.CocoLoader;
import io.seqvision.tasks.data.coco.CocoPolygon;
import io.seqvision.tokenizers.CocoKeypoints;
import io.seqvision.tokenizers.Keypoint;
import io.seqvision.tokenizers.MaskTokenizer;
import io.seqvision.tokenizers.MaskTracer;
import io.seqvision.tokenizers.NormalizedPolygon;
import io.seqvision.tokenizers.TokenBox;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads one split for multi-task training: images decoded and resized once (in parallel), and per
 * image its objects (box, class, mask polygons, keypoints) and captions, every coordinate
 * normalised by the image's original width and height and clamped to [0, 1].
 *
 * <ul>
 *   <li>Objects come from the instances file; crowd regions ({@code iscrowd}) are left out.
 *   <li>Masks: COCO polygons, without those that have no area (e.g. a part outside the image,
 *       clamped onto its edge; fragments of fewer than 3 points are dropped by {@link CocoLoader});
 *       an RLE mask is traced into outer-boundary polygons ({@link MaskTracer}, holes filled)
 *       simplified to {@value #RLE_MAX_POINTS} vertices with at least {@value #RLE_TOLERANCE_PIXELS}
 *       px tolerance.
 *   <li>Keypoints (17, COCO order): from the keypoints file, merged onto the instance annotation
 *       with the same annotation id (which must be on the same image with the same category). A
 *       keypoints annotation whose id the instances file lacks adds an object of its own, built
 *       from the keypoints file's box and segmentation, after the image's instance objects.
 *       Without a keypoints file, keypoints an instance annotation carries itself are used.
 *   <li>Captions: from the captions file, in file order; none when the split has no such file.
 * </ul>
 *
 * <p>Class indices follow category ids in ascending order, or a given list so that a held-out
 * split uses its training split's ({@link ClassIndex}). The keypoints and captions files
 * must describe the instances file's images (same ids and sizes). Every inconsistency raises a
 * {@link DatasetException} naming the file and the entry.
 */
public final class MultiTaskData {

    /** Vertex budget of an RLE mask's polygons: the mask tokenizer's. */
    public static final int RLE_MAX_POINTS = MaskTokenizer.DEFAULT_MAX_POINTS;

    /** Least simplification tolerance for RLE outlines: removes the pixel staircase of slanted edges. */
    public static final double RLE_TOLERANCE_PIXELS = 0.5;

    private MultiTaskData() {}

    /** Loads a split, taking its classes from its instances file's categories. */
    public static MultiTaskDataset load(SplitFiles files, ImageInput preprocessor) {
        return load(files, preprocessor, null);
    }

    /**
     * Loads a split whose class indices must match {@code categoryIds} (category ids by class index,
     * e.g. the training split's {@link MultiTaskDataset#categoryIds()}); null takes the split's own.
     *
     * @throws DatasetException if a file is missing or invalid, the files disagree, or a category
     *     is not among {@code categoryIds}
     */
    public static MultiTaskDataset load(SplitFiles files, ImageInput preprocessor, List<Integer> categoryIds) {
        CocoInstances instances = CocoLoader.loadInstances(files.instances(), files.images());
        CocoInstances keypoints = files.keypoints() == null ? null
                : CocoLoader.loadInstances(files.keypoints(), files.images());
        CocoCaptions captions = files.captions() == null ? null : CocoCaptionLoader.load(files.captions());
        ClassIndex classes = new ClassIndex(instances.categories(), categoryIds);
        classes.requireAll(instances.annotationFile(), instances.categories());
        checkKeypointCounts(instances);
        Map<Long, CocoAnnotation> keypointsById = new HashMap<>();
        Map<Long, List<CocoAnnotation>> keypointOnlyByImage = new HashMap<>();
        if (keypoints != null) {
            classes.requireAll(keypoints.annotationFile(), keypoints.categories());
            checkSameImages(instances, keypoints.annotationFile(), keypoints.images());
            checkKeypointCounts(keypoints);
            Set<Long> instanceIds = new HashSet<>();
            instances.annotations().forEach(a -> instanceIds.add(a.id()));
            for (CocoAnnotation annotation : keypoints.annotations()) {
                if (instanceIds.contains(annotation.id())) {
                    keypointsById.put(annotation.id(), annotation);
                } else {
                    keypointOnlyByImage.computeIfAbsent(annotation.imageId(), id -> new ArrayList<>())
                            .add(annotation);
                }
            }
            checkMatches(instances, keypoints.annotationFile(), keypointsById);
        }
        if (captions != null) {
            checkSameImages(instances, captions.file(), captions.images());
        }
        List<MultiTaskExample> examples = instances.images().parallelStream()
                .map(image -> example(instances, image, preprocessor, classes, keypointsById,
                        keypointOnlyByImage.getOrDefault(image.id(), List.of()),
                        captions == null ? List.of() : captions.captionsOf(image.id())))
                .toList();
        return new MultiTaskDataset(examples, classes.classNames(), classes.categoryIds());
    }

    private static MultiTaskExample example(CocoInstances instances, CocoImage image, ImageInput preprocessor,
            ClassIndex classes, Map<Long, CocoAnnotation> keypointsById, List<CocoAnnotation> keypointOnly,
            List<String> captions) {
        byte[] pixels = preprocessor.toPlanarRgb(ImageInput.read(instances.imagePath(image)));
        List<AnnotatedObject> objects = new ArrayList<>();
        for (CocoAnnotation annotation : instances.annotationsOf(image.id())) {
            CocoAnnotation withKeypoints = keypointsById.get(annotation.id());
            if (annotation.crowd() || withKeypoints != null && withKeypoints.crowd()) {
                continue;
            }
            List<CocoKeypoint> points = withKeypoints != null ? withKeypoints.keypoints() : annotation.keypoints();
            objects.add(object(annotation, points, image, classes));
        }
        for (CocoAnnotation annotation : keypointOnly) {
            if (!annotation.crowd()) {
                objects.add(object(annotation, annotation.keypoints(), image, classes));
            }
        }
        return new MultiTaskExample(image.id(), image.width(), image.height(), pixels, objects, captions);
    }

    private static AnnotatedObject object(CocoAnnotation annotation, List<CocoKeypoint> points, CocoImage image,
            ClassIndex classes) {
        double w = image.width();
        double h = image.height();
        CocoBox b = annotation.bbox();
        TokenBox box = new TokenBox(clamp(b.y() / h), clamp(b.x() / w), clamp(b.y2() / h), clamp(b.x2() / w),
                classes.indexOf(annotation.categoryId()));
        List<NormalizedPolygon> polygons = new ArrayList<>();
        if (annotation.hasRle()) {
            polygons.addAll(MaskTracer.trace(annotation.rle().toMask(), RLE_TOLERANCE_PIXELS, RLE_MAX_POINTS));
        }
        for (CocoPolygon polygon : annotation.polygons()) {
            double[] xy = polygon.coordinates();
            for (int i = 0; i < xy.length; i++) {
                xy[i] = clamp(xy[i] / (i % 2 == 0 ? w : h));
            }
            NormalizedPolygon normalised = new NormalizedPolygon(xy);
            if (normalised.area() > 0) {
                polygons.add(normalised);
            }
        }
        return new AnnotatedObject(box, polygons, keypoints(points, w, h), annotation.area());
    }

    private static List<Keypoint> keypoints(List<CocoKeypoint> points, double w, double h) {
        if (points.isEmpty()) {
            return List.of();
        }
        double[] xyv = new double[3 * points.size()];
        for (int i = 0; i < points.size(); i++) {
            xyv[3 * i] = points.get(i).x();
            xyv[3 * i + 1] = points.get(i).y();
            xyv[3 * i + 2] = points.get(i).visibility();
        }
        List<Keypoint> normalised = new ArrayList<>(CocoKeypoints.COUNT);
        for (Keypoint k : CocoKeypoints.fromCoco(xyv, w, h)) {
            normalised.add(k.labelled() ? new Keypoint(clamp(k.x()), clamp(k.y()), k.visibility()) : k);
        }
        return normalised;
    }

    /** Every image of another file of the split must be an image of the instances file, of the same size. */
    private static void checkSameImages(CocoInstances instances, Path file, List<CocoImage> images) {
        Map<Long, CocoImage> known = new HashMap<>();
        instances.images().forEach(image -> known.put(image.id(), image));
        for (CocoImage image : images) {
            CocoImage same = known.get(image.id());
            if (same == null) {
                throw new DatasetException(file + ": image id " + image.id() + " ('" + image.fileName()
                        + "') is not in the instances file " + instances.annotationFile());
            }
            if (same.width() != image.width() || same.height() != image.height()) {
                throw new DatasetException(file + ": image id " + image.id() + " is " + image.width() + "x"
                        + image.height() + " but " + same.width() + "x" + same.height() + " in the instances file "
                        + instances.annotationFile());
            }
        }
    }

    /** Keypoints are the 17 COCO person keypoints, or none. */
    private static void checkKeypointCounts(CocoInstances coco) {
        for (CocoAnnotation annotation : coco.annotations()) {
            int count = annotation.keypoints().size();
            if (count != 0 && count != CocoKeypoints.COUNT && !annotation.crowd()) {
                throw new DatasetException(coco.annotationFile() + ": annotation id " + annotation.id() + " has "
                        + count + " keypoints; expected the " + CocoKeypoints.COUNT + " COCO person keypoints");
            }
        }
    }

    /** A keypoints annotation merged onto an instance must describe the same object. */
    private static void checkMatches(CocoInstances instances, Path keypointFile, Map<Long, CocoAnnotation> matches) {
        for (CocoAnnotation instance : instances.annotations()) {
            CocoAnnotation match = matches.get(instance.id());
            if (match != null && (match.imageId() != instance.imageId() || match.categoryId() != instance.categoryId())) {
                throw new DatasetException(keypointFile + ": annotation id " + match.id() + " (image id "
                        + match.imageId() + ", category " + match.categoryId() + ") does not match the annotation "
                        + "with that id in " + instances.annotationFile() + " (image id " + instance.imageId()
                        + ", category " + instance.categoryId() + ")");
            }
        }
    }

    private static double clamp(double v) {
        return Math.max(0, Math.min(1, v));
    }
}
