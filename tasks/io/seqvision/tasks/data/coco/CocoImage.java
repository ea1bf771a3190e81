package io.seqvision.tasks.data.coco;

/**
 * One entry of a COCO file's {@code images} array.
 *
 * @param fileName path of the image relative to the split's image directory
 * @param width    width in pixels, {@code >= 1}
 * @param height   height in pixels, {@code >= 1}
 */
public record CocoImage(long id, String fileName, int width, int height) {}
