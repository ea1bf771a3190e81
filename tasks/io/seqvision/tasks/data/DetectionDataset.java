package io.seqvision.tasks.data;

import java.util.List;

/**
 * Examples and the class names their class indices refer to (index i is {@code classNames.get(i)}).
 *
 * @param categoryIds the COCO category id of each class index
 */
public record DetectionDataset(List<DetectionExample> examples, List<String> classNames, List<Integer> categoryIds) {

    public DetectionDataset {
        examples = List.copyOf(examples);
        classNames = List.copyOf(classNames);
        categoryIds = List.copyOf(categoryIds);
    }

    public int size() {
        return examples.size();
    }

    public DetectionExample get(int index) {
        return examples.get(index);
    }
}
