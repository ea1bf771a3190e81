package io.seqvision.tasks.data;

import java.nio.file.Path;

/**
 * The files of one split for {@link MultiTaskData}: an image folder and COCO annotation files.
 *
 * @param images    the folder the images' {@code file_name}s are relative to; required
 * @param instances {@code instances_*.json}: boxes, classes and masks; required
 * @param keypoints {@code person_keypoints_*.json}, or null for a split without keypoints
 * @param captions  {@code captions_*.json}, or null for a split without captions
 */
public record SplitFiles(Path images, Path instances, Path keypoints, Path captions) {

    public SplitFiles {
        if (images == null) {
            throw new IllegalArgumentException("the split's image folder is required");
        }
        if (instances == null) {
            throw new IllegalArgumentException("the split's instances file is required");
        }
    }

    /** A split with boxes and masks only. */
    public static SplitFiles of(Path images, Path instances) {
        return new SplitFiles(images, instances, null, null);
    }

    /**
     * The layout the shapes generator writes: {@code root/images/<split>} and {@code
     * root/annotations/{instances,person_keypoints,captions}_<split>.json}, all three expected.
     */
    public static SplitFiles shapesLayout(Path root, String split) {
        Path annotations = root.resolve("annotations");
        return new SplitFiles(root.resolve("images").resolve(split),
                annotations.resolve("instances_" + split + ".json"),
                annotations.resolve("person_keypoints_" + split + ".json"),
                annotations.resolve("captions_" + split + ".json"));
    }

    public SplitFiles withKeypoints(Path file) {
        return new SplitFiles(images, instances, file, captions);
    }

    public SplitFiles withCaptions(Path file) {
        return new SplitFiles(images, instances, keypoints, file);
    }
}
