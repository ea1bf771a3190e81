package io.seqvision.tasks.data;

import io.seqvision.tasks.data.coco.CocoCategory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Class indices of COCO category ids: category ids in ascending order, or a given list so that a
 * held-out split uses its training split's indices.
 */
final class ClassIndex {

    private final List<Integer> categoryIds;
    private final List<String> classNames;
    private final Map<Integer, Integer> indexOfCategory = new HashMap<>();

    /**
     * @param categories the split's categories (their names name the classes)
     * @param given      category ids by class index, or null to take {@code categories} in id order
     */
    ClassIndex(List<CocoCategory> categories, List<Integer> given) {
        List<CocoCategory> sorted = new ArrayList<>(categories);
        sorted.sort(Comparator.comparingInt(CocoCategory::id));
        categoryIds = List.copyOf(given != null ? given : sorted.stream().map(CocoCategory::id).toList());
        for (int i = 0; i < categoryIds.size(); i++) {
            indexOfCategory.put(categoryIds.get(i), i);
        }
        Map<Integer, String> names = new HashMap<>();
        sorted.forEach(c -> names.put(c.id(), c.name()));
        classNames = categoryIds.stream().map(id -> names.getOrDefault(id, "class-" + id)).toList();
    }

    /** @throws DatasetException naming {@code file} if one of its categories has no class index */
    void requireAll(Path file, List<CocoCategory> categories) {
        for (CocoCategory category : categories) {
            if (!indexOfCategory.containsKey(category.id())) {
                throw new DatasetException(file + ": category " + category.id() + " ('" + category.name()
                        + "') is not among the model's classes " + categoryIds);
            }
        }
    }

    /** @return the class index of a category id that {@link #requireAll} has accepted */
    int indexOf(int categoryId) {
        return indexOfCategory.get(categoryId);
    }

    List<Integer> categoryIds() {
        return categoryIds;
    }

    List<String> classNames() {
        return classNames;
    }
}
