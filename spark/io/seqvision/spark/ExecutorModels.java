package io.seqvision.spark;

import io.seqvision.tasks.api.SeqVisionModel;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One loaded model per JVM and model directory, shared by every partition and task an executor
 * runs (tasks of one executor are threads of one JVM; {@link SeqVisionModel} is thread-safe).
 * Loaded on first use, freed when the JVM exits.
 */
final class ExecutorModels {

    private static final Map<Path, SeqVisionModel> LOADED = new ConcurrentHashMap<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ExecutorModels::closeAll, "seqvision-models-close"));
    }

    private ExecutorModels() {}

    /** The model loaded from {@code directory}, loading it if this JVM has not yet. */
    static SeqVisionModel get(String directory) {
        return LOADED.computeIfAbsent(Path.of(directory).toAbsolutePath().normalize(), SeqVisionModel::load);
    }

    /** Frees every loaded model (the next {@link #get} loads again). */
    static void closeAll() {
        for (Path key : LOADED.keySet()) {
            SeqVisionModel model = LOADED.remove(key);
            if (model != null) {
                model.close();
            }
        }
    }
}
