package io.seqvision.tasks.data;

import io.seqvision.tokenizers.Keypoint;
import io.seqvision.tokenizers.NormalizedPolygon;
import io.seqvision.tokenizers.TokenBox;
import java.util.List;

/**
 * One annotated object of an image, every coordinate normalised to [0, 1] by the image's width
 * and height (x by width, y by height).
 *
 * @param box       its box and class index
 * @param polygons  its mask as polygons whose union is the mask (empty when the object has no mask)
 * @param keypoints the 17 COCO keypoints in standard order (empty when the object has none)
 * @param area      COCO's {@code area} in pixels of the original image (segment area; used by
 *                  the mask and keypoint metrics' area ranges and OKS scale)
 */
public record AnnotatedObject(TokenBox box, List<NormalizedPolygon> polygons, List<Keypoint> keypoints,
        double area) {

    public AnnotatedObject {
        polygons = List.copyOf(polygons);
        keypoints = List.copyOf(keypoints);
    }

    public boolean hasMask() {
        return !polygons.isEmpty();
    }

    /** True when the object carries at least one labelled keypoint. */
    public boolean hasKeypoints() {
        return keypoints.stream().anyMatch(Keypoint::labelled);
    }
}
