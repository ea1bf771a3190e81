package io.seqvision.tasks;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The four tasks, by the names configs, the CLI and the web API use. */
public enum TaskKind {
    DETECTION,
    SEGMENTATION,
    KEYPOINTS,
    CAPTIONING;

    /** The lower-case name: {@code detection}, {@code segmentation}, {@code keypoints}, {@code captioning}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The task of a name; {@code caption} (the web API's word) is accepted for {@code captioning},
     * the canonical name.
     *
     * @throws IllegalArgumentException naming the valid tasks when {@code id} is none of them
     */
    public static TaskKind of(String id) {
        if ("caption".equals(id)) {
            return CAPTIONING;
        }
        for (TaskKind kind : values()) {
            if (kind.id().equals(id)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown task '" + id + "'; valid tasks: "
                + Arrays.stream(values()).map(TaskKind::id).collect(Collectors.joining(", ")) + " ('caption' also names captioning)");
    }
}
