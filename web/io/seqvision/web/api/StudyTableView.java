package io.seqvision.web.api;

import java.util.List;

/**
 * {@code GET /api/model/study}: the table of the encoder study the model belongs to, one row per
 * encoder plus the trivial baseline, cells as the study's report writes them.
 *
 * @param study   the study's config name
 * @param encoder this model's encoder (its row is the one whose first cell equals it)
 */
public record StudyTableView(String study, String encoder, List<String> columns, List<List<String>> rows) {

    public StudyTableView {
        columns = List.copyOf(columns);
        rows = rows.stream().map(List::copyOf).toList();
    }
}
