package io.seqvision.tasks.data.coco;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A loaded COCO instances file: its images, categories and annotations (in file order), where it came from,
 * and lookups by id. Build it with {@link CocoLoader#loadInstances(Path, Path)}, which validates the content;
 * the constructor only indexes.
 */
public final class CocoInstances {

    private final Path annotationFile;
    private final Path imageDirectory;
    private final List<CocoImage> images;
    private final List<CocoCategory> categories;
    private final List<CocoAnnotation> annotations;
    private final Map<Long, CocoImage> imageById = new HashMap<>();
    private final Map<Integer, CocoCategory> categoryById = new HashMap<>();
    private final Map<Long, List<CocoAnnotation>> annotationsByImage = new HashMap<>();

    /**
     * @param annotationFile  the JSON file the entries came from
     * @param imageDirectory  the directory {@link CocoImage#fileName()} is relative to
     */
    public CocoInstances(Path annotationFile, Path imageDirectory, List<CocoImage> images,
            List<CocoCategory> categories, List<CocoAnnotation> annotations) {
        this.annotationFile = annotationFile;
        this.imageDirectory = imageDirectory;
        this.images = List.copyOf(images);
        this.categories = List.copyOf(categories);
        this.annotations = List.copyOf(annotations);
        this.images.forEach(image -> imageById.put(image.id(), image));
        this.categories.forEach(category -> categoryById.put(category.id(), category));
        for (CocoAnnotation annotation : this.annotations) {
            annotationsByImage.computeIfAbsent(annotation.imageId(), id -> new ArrayList<>()).add(annotation);
        }
        annotationsByImage.replaceAll((id, list) -> List.copyOf(list));
    }

    public Path annotationFile() {
        return annotationFile;
    }

    public Path imageDirectory() {
        return imageDirectory;
    }

    public List<CocoImage> images() {
        return images;
    }

    public List<CocoCategory> categories() {
        return categories;
    }

    public List<CocoAnnotation> annotations() {
        return annotations;
    }

    /**
     * @return the annotations of an image in file order; empty if it has none
     * @throws IllegalArgumentException if no image has that id
     */
    public List<CocoAnnotation> annotationsOf(long imageId) {
        image(imageId);
        return annotationsByImage.getOrDefault(imageId, List.of());
    }

    /** @throws IllegalArgumentException if no image has that id */
    public CocoImage image(long id) {
        CocoImage image = imageById.get(id);
        if (image == null) {
            throw new IllegalArgumentException(annotationFile + ": no image with id " + id);
        }
        return image;
    }

    /** @throws IllegalArgumentException if no category has that id */
    public CocoCategory category(int id) {
        CocoCategory category = categoryById.get(id);
        if (category == null) {
            throw new IllegalArgumentException(annotationFile + ": no category with id " + id);
        }
        return category;
    }

    /** @return where the image's file is: the image directory joined with its file name */
    public Path imagePath(CocoImage image) {
        return imageDirectory.resolve(image.fileName());
    }

    @Override
    public String toString() {
        return "CocoInstances[" + annotationFile + ": " + images.size() + " images, " + categories.size()
                + " categories, " + annotations.size() + " annotations]";
    }
}
