package io.seqvision.tasks.data.coco;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A loaded COCO captions file ({@code captions_*.json}): its images and captions in file order, and the
 * captions of each image. Build it with {@link CocoCaptionLoader#load(Path)}, which validates the content.
 */
public final class CocoCaptions {

    private final Path file;
    private final List<CocoImage> images;
    private final List<CocoCaption> captions;
    private final Map<Long, List<String>> textsByImage = new HashMap<>();

    public CocoCaptions(Path file, List<CocoImage> images, List<CocoCaption> captions) {
        this.file = file;
        this.images = List.copyOf(images);
        this.captions = List.copyOf(captions);
        for (CocoCaption caption : this.captions) {
            textsByImage.computeIfAbsent(caption.imageId(), id -> new ArrayList<>()).add(caption.caption());
        }
        textsByImage.replaceAll((id, list) -> List.copyOf(list));
    }

    public Path file() {
        return file;
    }

    public List<CocoImage> images() {
        return images;
    }

    public List<CocoCaption> captions() {
        return captions;
    }

    /** @return the caption texts of an image in file order; empty when it has none or is not in the file */
    public List<String> captionsOf(long imageId) {
        return textsByImage.getOrDefault(imageId, List.of());
    }

    @Override
    public String toString() {
        return "CocoCaptions[" + file + ": " + images.size() + " images, " + captions.size() + " captions]";
    }
}
