package io.seqvision.tasks.data.coco;

/**
 * One entry of a COCO captions file's {@code annotations} array.
 *
 * @param caption the text without leading or trailing white space, never empty
 */
public record CocoCaption(long id, long imageId, String caption) {}
