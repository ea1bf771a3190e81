package io.seqvision.tasks.data.coco;

import io.seqvision.tasks.data.DatasetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Loads and validates a COCO captions file ({@code captions_*.json}).
 *
 * <p>Required: top-level arrays {@code images} (each with {@code id}, {@code file_name}, {@code width},
 * {@code height}, as in an instances file) and {@code annotations} (each with {@code id}, {@code image_id} and a
 * non-blank string {@code caption}, kept without surrounding white space). Other keys are ignored. Every problem
 * raises a {@link DatasetException} naming the file and the entry: malformed JSON (with line and column), a
 * missing, mistyped, empty or blank field, duplicate image or caption ids, and a caption whose image id is not in
 * the file's images. Image files are not looked for: a captions file comes beside an instances file, whose loader
 * checks them. Read as a stream, one entry at a time, like {@link CocoLoader}.
 */
public final class CocoCaptionLoader {

    private static final CocoJson.ArraySpec<CocoImage> IMAGES = new CocoJson.ArraySpec<>("images", CocoLoader::image);
    private static final CocoJson.ArraySpec<CocoCaption> CAPTIONS =
            new CocoJson.ArraySpec<>("annotations", CocoCaptionLoader::caption);

    private CocoCaptionLoader() {}

    /**
     * @return the validated content
     * @throws DatasetException if the file is missing, unreadable or invalid
     */
    public static CocoCaptions load(Path captionFile) {
        if (!Files.isRegularFile(captionFile)) {
            throw new DatasetException(captionFile + ": captions file not found");
        }
        CocoJson.Arrays arrays = CocoJson.read(captionFile, List.of(IMAGES, CAPTIONS));
        List<CocoImage> images = arrays.require(IMAGES);
        List<CocoCaption> captions = arrays.require(CAPTIONS);
        CocoJson.checkUnique(captionFile, "image", images, CocoImage::id);
        CocoJson.checkUnique(captionFile, "annotation", captions, CocoCaption::id);
        Set<Long> imageIds = new HashSet<>();
        images.forEach(image -> imageIds.add(image.id()));
        for (CocoCaption caption : captions) {
            if (!imageIds.contains(caption.imageId())) {
                throw new DatasetException(captionFile + ": caption id " + caption.id()
                        + ": references unknown image id " + caption.imageId());
            }
        }
        return new CocoCaptions(captionFile, images, captions);
    }

    private static CocoCaption caption(EntryReader entry) {
        long id = entry.requireLong("id");
        entry.identify(id);
        long imageId = entry.requireLong("image_id");
        String text = entry.requireText("caption").strip();
        if (text.isEmpty()) {
            throw entry.fail("field 'caption' is blank");
        }
        return new CocoCaption(id, imageId, text);
    }
}
