package io.seqvision.tasks.data.shapes;

import java.util.List;

/**
 * Everything about one generated image: its size, backdrop, objects (in painting order) and captions.
 *
 * @param droppedObjects objects that were asked for but found no free place
 */
record Scene(int width, int height, Background background, List<SceneObject> objects, List<String> captions,
        int droppedObjects) {}
