package io.seqvision.tasks.api;

import io.seqvision.tasks.study.StudyReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The table of the encoder study a model was trained in ({@code bin/seqvision study}): one row per
 * encoder of the study and one for the trivial baseline, every cell as the report writes it.
 *
 * @param study   the study's config name
 * @param encoder the encoder of the model asked about
 * @param columns the column titles
 * @param rows    the rows, each as long as {@code columns}
 * @param report  the study's report folder
 */
public record StudyTable(String study, String encoder, List<String> columns, List<List<String>> rows, Path report) {

    public StudyTable {
        columns = List.copyOf(columns);
        rows = rows.stream().map(List::copyOf).toList();
    }

    /**
     * The study {@code modelDir} belongs to, when it is a model of one: {@code <report>/runs/<encoder>/model}
     * (or {@code model-best}) with the report's {@code study.json} naming that encoder.
     */
    public static Optional<StudyTable> forModel(Path modelDir) {
        Path model = modelDir.toAbsolutePath().normalize();
        Path run = model.getParent();
        Path runs = run == null ? null : run.getParent();
        Path report = runs == null ? null : runs.getParent();
        if (report == null || !runs.getFileName().toString().equals("runs")) {
            return Optional.empty();
        }
        Path file = report.resolve(StudyReport.JSON_FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        StudyReport.Contents contents = StudyReport.read(file);
        String encoder = run.getFileName().toString();
        if (contents.runs().stream().noneMatch(r -> r.encoder().equals(encoder))) {
            return Optional.empty();
        }
        return Optional.of(new StudyTable(contents.config(), encoder, contents.columns(), contents.rows(), report));
    }
}
