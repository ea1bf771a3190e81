package io.seqvision.web.api;

import java.util.List;

/**
 * {@code GET /api/model}: the model, the tasks the API knows (the model's {@code tasks} are a
 * subset), the keypoint layout and the server's limits.
 */
public record ModelOverview(
        ModelDescription model, List<String> knownTasks, KeypointLayout keypointLayout, ServerLimits limits) {}
