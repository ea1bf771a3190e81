package io.seqvision.tasks.data;

import java.util.List;

/**
 * The examples of one split and the class names their class indices refer to (index i is
 * {@code classNames.get(i)}, COCO category id {@code categoryIds.get(i)}).
 */
public record MultiTaskDataset(List<MultiTaskExample> examples, List<String> classNames, List<Integer> categoryIds) {

    public MultiTaskDataset {
        examples = List.copyOf(examples);
        classNames = List.copyOf(classNames);
        categoryIds = List.copyOf(categoryIds);
    }

    public int size() {
        return examples.size();
    }

    public MultiTaskExample get(int index) {
        return examples.get(index);
    }
}
