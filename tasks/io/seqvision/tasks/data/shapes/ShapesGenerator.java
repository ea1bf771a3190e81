package io.seqvision.tasks.data.shapes;


import io.seqvision.tasks.storage.Png;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Generates the synthetic "shapes" data set in COCO layout:
 * <pre>
 * out/images/{train,val}/000001.png ...
 * out/annotations/instances_{split}.json         boxes, polygons, areas of all five categories
 * out/annotations/person_keypoints_{split}.json  persons only, with 17 COCO keypoints and the skeleton
 * out/annotations/captions_{split}.json          2 or 3 template captions per image
 * </pre>
 * Categories (fixed COCO ids): 1 circle, 2 square, 3 triangle, 4 star, 5 person. Objects never overlap (their
 * boxes may touch), so every annotation is fully visible. A person's {@code segmentation} holds one polygon per
 * limb, bar and head, overlapping at the joints; its {@code area} is the exact area of their union, while a
 * shape's area is its polygon's area.
 *
 * <p>The output is a pure function of the options: each image draws from its own random generator seeded by
 * (seed, split, index), so images are generated in parallel and the same seed gives byte-identical files.
 */
public final class ShapesGenerator {

    /** Split names, in generation order. */
    public static final List<String> SPLITS = List.of("train", "val");

    /**
     * What the generator draws, written as {@code info.version} of every annotation file: 3.0 paints
     * the far arm and leg of a person in profile in a shade, behind the rest (2.0 marked the left wrist
     * and ankle instead, a cue that a horizontal flip with its left/right label swap inverts). Data
     * written by another version is stale.
     */
    public static final String VERSION = "3.0";

    private final ShapesOptions options;

    /** @param options what to generate */
    public ShapesGenerator(ShapesOptions options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    /** @return the options this generator was built with */
    public ShapesOptions options() {
        return options;
    }

    /**
     * Why the data under {@code directory} is not what these options generate (another generator
     * version, seed or image count), or null when it is. Reads only the head of each split's
     * instances file.
     *
     * @throws IOException when a file cannot be read or parsed
     */
    public String staleness(Path directory) throws IOException {
        for (String split : SPLITS) {
            Path file = directory.resolve("annotations").resolve("instances_" + split + ".json");
            if (!Files.exists(file)) {
                return file + " is missing";
            }
            CocoShapesWriter.Header header = CocoShapesWriter.readHeader(file);
            int wanted = split.equals("train") ? options.trainImages() : options.valImages();
            if (!VERSION.equals(header.version())) {
                return file + " was made by generator version " + header.version() + ", this is " + VERSION;
            }
            if (header.seed() != options.seed()) {
                return file + " was made with seed " + header.seed() + ", the config asks for " + options.seed();
            }
            if (!header.layout().equals(options.layout())) {
                return file + " was made with " + header.layout() + ", the config asks for " + options.layout();
            }
            if (header.images() != wanted) {
                return file + " has " + header.images() + " images, the config asks for " + wanted;
            }
        }
        return null;
    }

    /**
     * Writes both splits under {@code outputDirectory}, creating directories as needed and replacing files of
     * the same names. Every file is written to a temporary sibling first and renamed into place.
     *
     * @return counts per split and category, and the time taken
     * @throws IOException if a file cannot be written
     */
    public ShapesSummary generate(Path outputDirectory) throws IOException {
        long start = System.nanoTime();
        Path annotationDir = Files.createDirectories(outputDirectory.resolve("annotations"));
        String layout = options.layout();
        CocoShapesWriter writer = new CocoShapesWriter(options.seed(),
                layout.equals(ShapesOptions.defaults().layout()) ? null : layout);
        List<ShapesSummary.SplitSummary> summaries = new ArrayList<>();
        for (String split : SPLITS) {
            int count = split.equals("train") ? options.trainImages() : options.valImages();
            Path imageDir = Files.createDirectories(outputDirectory.resolve("images").resolve(split));
            List<Scene> scenes;
            try {
                scenes = IntStream.range(0, count).parallel()
                        .mapToObj(index -> writeImage(imageDir, split, index))
                        .toList();
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            writer.write(annotationDir, split, scenes);
            summaries.add(summarize(split, scenes));
        }
        return new ShapesSummary(outputDirectory, summaries, Duration.ofNanos(System.nanoTime() - start));
    }

    /** The scene of image {@code index} (0-based) of a split; depends only on the options, split and index. */
    Scene scene(String split, int index) {
        return ScenePlanner.plan(new SplittableRandom(imageSeed(options.seed(), split, index)), options);
    }

    /** Decorrelates neighbouring (seed, split, index) triples with the SplitMix64 finaliser. */
    static long imageSeed(long seed, String split, int index) {
        long h = mix64(seed ^ 0x5DEECE66DL);
        h = mix64(h ^ split.hashCode());
        return mix64(h + index);
    }

    private static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private Scene writeImage(Path imageDir, String split, int index) {
        Scene scene = scene(split, index);
        BufferedImage image = SceneRenderer.render(scene);
        Png.write(imageDir.resolve(CocoShapesWriter.fileName(index + 1)), image);
        return scene;
    }

    private static ShapesSummary.SplitSummary summarize(String split, List<Scene> scenes) {
        Map<String, Integer> perCategory = new LinkedHashMap<>();
        for (ShapeCategory category : ShapeCategory.values()) {
            perCategory.put(category.cocoName(), 0);
        }
        int objects = 0;
        int captions = 0;
        int dropped = 0;
        for (Scene scene : scenes) {
            for (SceneObject object : scene.objects()) {
                perCategory.merge(object.category().cocoName(), 1, Integer::sum);
                objects++;
            }
            captions += scene.captions().size();
            dropped += scene.droppedObjects();
        }
        return new ShapesSummary.SplitSummary(split, scenes.size(), objects, captions, perCategory, dropped);
    }
}
