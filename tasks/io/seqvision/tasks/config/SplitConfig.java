package io.seqvision.tasks.config;

/**
 * One COCO-format split: the folder its file names are relative to and its annotation files.
 *
 * @param images    folder of the images
 * @param instances {@code instances_*.json}: boxes, classes, masks (detection, segmentation)
 * @param keypoints {@code person_keypoints_*.json} (keypoints); empty when the split has none
 * @param captions  {@code captions_*.json} (captioning); empty when the split has none
 */
public record SplitConfig(String images, String instances, String keypoints, String captions) {

    public boolean hasKeypoints() {
        return keypoints != null && !keypoints.isBlank();
    }

    public boolean hasCaptions() {
        return captions != null && !captions.isBlank();
    }
}
