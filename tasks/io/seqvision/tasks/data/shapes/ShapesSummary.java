package io.seqvision.tasks.data.shapes;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link ShapesGenerator#generate(Path)} wrote.
 *
 * @param outputDirectory the data set root ({@code images/} and {@code annotations/} below it)
 * @param splits          one entry per split, train first
 * @param elapsed         wall time of the whole generation
 */
public record ShapesSummary(Path outputDirectory, List<SplitSummary> splits, Duration elapsed) {

    /**
     * Counts of one split.
     *
     * @param split              "train" or "val"
     * @param images             images written
     * @param objects            object annotations written
     * @param captions           captions written
     * @param objectsPerCategory category name to object count, in category id order
     * @param droppedObjects     objects asked for that found no free place and were left out
     */
    public record SplitSummary(String split, int images, int objects, int captions,
            Map<String, Integer> objectsPerCategory, int droppedObjects) {

        public SplitSummary {
            objectsPerCategory = Collections.unmodifiableMap(new LinkedHashMap<>(objectsPerCategory));
        }
    }

    public ShapesSummary {
        splits = List.copyOf(splits);
    }

    /** @return a few human-readable lines, one per split */
    public String describe() {
        StringBuilder text = new StringBuilder("shapes data set in ").append(outputDirectory)
                .append(String.format(" (%.1f s)%n", elapsed.toMillis() / 1000.0));
        for (SplitSummary s : splits) {
            text.append(String.format("  %-5s %6d images %7d objects %6d captions  %s", s.split(), s.images(),
                    s.objects(), s.captions(), s.objectsPerCategory()));
            if (s.droppedObjects() > 0) {
                text.append("  (").append(s.droppedObjects()).append(" objects found no free place)");
            }
            text.append(System.lineSeparator());
        }
        return text.toString();
    }

    @Override
    public String toString() {
        return describe().stripTrailing();
    }
}
