package io.seqvision.web.service;

import io.seqvision.tasks.TaskKind;
import io.seqvision.web.ApiException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The tasks the API knows, by the names requests use: the library's and the CLI's names
 * ({@link TaskKind#id()}). {@code caption}, the API's name for captioning before it took the
 * CLI's, is still accepted. A model supports some of them.
 */
public enum WebTask {
    DETECTION("detection", TaskKind.DETECTION),
    SEGMENTATION("segmentation", TaskKind.SEGMENTATION),
    KEYPOINTS("keypoints", TaskKind.KEYPOINTS),
    CAPTIONING("captioning", TaskKind.CAPTIONING);

    private final String apiName;
    private final TaskKind kind;

    WebTask(String apiName, TaskKind kind) {
        this.apiName = apiName;
        this.kind = kind;
    }

    /** The library's task of this name. */
    public TaskKind kind() {
        return kind;
    }

    public String apiName() {
        return apiName;
    }

    /** Every name, in declaration order. */
    public static List<String> names() {
        return Arrays.stream(values()).map(WebTask::apiName).toList();
    }

    /**
     * Reads a comma-separated list such as {@code "detection,captioning"}; repeated names count once,
     * the order of first mention is kept.
     *
     * @throws ApiException 400 {@code unknown_task} naming the bad name and the valid ones, or
     *     {@code no_task} for an empty list
     */
    public static List<WebTask> parseList(String list) {
        List<WebTask> tasks = new ArrayList<>();
        for (String part : list.split(",")) {
            String name = part.trim().toLowerCase(Locale.ROOT);
            if (name.isEmpty()) {
                continue;
            }
            // the API's former name for captioning is accepted too
            String canonical = name.equals("caption") ? CAPTIONING.apiName : name;
            WebTask task = Arrays.stream(values()).filter(t -> t.apiName.equals(canonical)).findFirst()
                    .orElseThrow(() -> ApiException.badRequest("unknown_task",
                            "unknown task '" + part.trim() + "'; known tasks: " + String.join(", ", names())
                                    + " ('caption' also names captioning)"));
            if (!tasks.contains(task)) {
                tasks.add(task);
            }
        }
        if (tasks.isEmpty()) {
            throw ApiException.badRequest("no_task", "no task named; known tasks: " + String.join(", ", names()));
        }
        return tasks;
    }
}
