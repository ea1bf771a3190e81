package io.seqvision.tasks.data.coco;

import java.util.List;

/**
 * One entry of a COCO file's {@code annotations} array.
 *
 * @param polygons  the {@code segmentation} polygons, whose union is the mask; empty when the file has no
 *                  segmentation or an RLE one
 * @param area      the file's {@code area}; when absent, the polygons' summed area, the RLE mask's pixel count,
 *                  or the box's area without a segmentation
 * @param crowd     {@code iscrowd == 1}
 * @param keypoints the COCO {@code keypoints} triples in file order (17 for COCO persons); empty when absent
 * @param rle       the {@code segmentation} when it is run-length encoded (its size is its image's); null otherwise
 */
public record CocoAnnotation(long id, long imageId, int categoryId, CocoBox bbox, List<CocoPolygon> polygons,
        double area, boolean crowd, List<CocoKeypoint> keypoints, CocoRle rle) {

    public CocoAnnotation {
        polygons = List.copyOf(polygons);
        keypoints = List.copyOf(keypoints);
    }

    /** An annotation without an RLE mask. */
    public CocoAnnotation(long id, long imageId, int categoryId, CocoBox bbox, List<CocoPolygon> polygons,
            double area, boolean crowd, List<CocoKeypoint> keypoints) {
        this(id, imageId, categoryId, bbox, polygons, area, crowd, keypoints, null);
    }

    /** An annotation without keypoints. */
    public CocoAnnotation(long id, long imageId, int categoryId, CocoBox bbox, List<CocoPolygon> polygons,
            double area, boolean crowd) {
        this(id, imageId, categoryId, bbox, polygons, area, crowd, List.of(), null);
    }

    /** @return whether the segmentation is run-length encoded ({@link #rle()} is set) */
    public boolean hasRle() {
        return rle != null;
    }

    /** @return the number of labelled keypoints (COCO's {@code num_keypoints}) */
    public int labelledKeypoints() {
        return (int) keypoints.stream().filter(CocoKeypoint::labelled).count();
    }
}
