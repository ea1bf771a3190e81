package io.seqvision.spark;

import io.seqvision.tasks.TaskKind;
import io.seqvision.tasks.api.SeqVisionModel;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import javax.imageio.ImageIO;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;

/**
 * Runs the model over one partition of {@link ImageSources#COLUMNS} rows, {@code batchSize} images
 * at a time (decoded together, then analysed), and gives one {@link PredictionRows} row per input
 * row, in input order. Images are pulled from the input as output is consumed, so a partition is
 * never held whole. An image that cannot be read or analysed becomes a row with an error.
 */
final class PartitionPredictor implements MapPartitionsFunction<Row, Row> {

    private static final long serialVersionUID = 1L;

    private final String modelDir;
    private final List<String> tasks;
    private final int batchSize;

    /** @param tasks task ids, empty for all the model was trained for */
    PartitionPredictor(String modelDir, List<String> tasks, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        this.modelDir = modelDir;
        this.tasks = List.copyOf(tasks);
        this.batchSize = batchSize;
    }

    /** The tasks asked, or all the model does when none is named. */
    static Set<TaskKind> tasks(SeqVisionModel model, List<String> ids) {
        if (ids.isEmpty()) {
            return EnumSet.copyOf(model.tasks());
        }
        Set<TaskKind> asked = EnumSet.noneOf(TaskKind.class);
        for (String id : ids) {
            TaskKind task = TaskKind.of(id.trim());
            if (!model.tasks().contains(task)) {
                throw new IllegalArgumentException("the model in " + model.directory() + " is not trained for "
                        + task.id() + "; it does " + model.tasks().stream().map(TaskKind::id).toList());
            }
            asked.add(task);
        }
        return asked;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> input) {
        SeqVisionModel model = ExecutorModels.get(modelDir);
        Set<TaskKind> asked = tasks(model, tasks);
        return new Iterator<>() {
            private Iterator<Row> batch = List.<Row>of().iterator();

            @Override
            public boolean hasNext() {
                if (!batch.hasNext() && input.hasNext()) {
                    batch = predict(model, asked, take(input)).iterator();
                }
                return batch.hasNext();
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return batch.next();
            }
        };
    }

    private List<Row> take(Iterator<Row> input) {
        List<Row> rows = new ArrayList<>(batchSize);
        while (rows.size() < batchSize && input.hasNext()) {
            rows.add(input.next());
        }
        return rows;
    }

    private static List<Row> predict(SeqVisionModel model, Set<TaskKind> asked, List<Row> rows) {
        List<Object> decoded = new ArrayList<>(rows.size()); // a BufferedImage, or the error text
        for (Row row : rows) {
            decoded.add(decode(row));
        }
        List<Row> out = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            String path = row.getString(0);
            Long imageId = row.isNullAt(1) ? null : row.getLong(1);
            if (decoded.get(i) instanceof BufferedImage image) {
                try {
                    out.add(PredictionRows.of(path, imageId, model.analyze(image, asked, null), asked));
                } catch (RuntimeException e) {
                    out.add(PredictionRows.failed(path, imageId, "analysis failed: " + e));
                }
            } else {
                out.add(PredictionRows.failed(path, imageId, (String) decoded.get(i)));
            }
            decoded.set(i, null); // let the pixels go as soon as the row is made
        }
        return out;
    }

    /** The image in a row, or why there is none. */
    private static Object decode(Row row) {
        if (!row.isNullAt(3)) {
            return row.getString(3);
        }
        if (row.isNullAt(2)) {
            return "no image bytes";
        }
        byte[] bytes = (byte[]) row.get(2);
        try {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
            if (image == null) {
                return "not a readable image (unknown format, " + bytes.length + " bytes)";
            }
            return image;
        } catch (IOException | RuntimeException e) {
            return "corrupt image (" + bytes.length + " bytes): " + e.getMessage();
        }
    }
}
