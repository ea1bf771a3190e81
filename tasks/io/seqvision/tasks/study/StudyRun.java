package io.seqvision.tasks.study;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.seqvision.tasks.storage.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one encoder's run of a study gave, as its {@code result.json} holds it: written atomically
 * once the run is evaluated (or has failed), so a study that finds a finished one does not run it
 * again.
 *
 * @param encoder               the encoder's registry name
 * @param status                {@code finished} or {@code failed}
 * @param error                 why it failed (null when finished)
 * @param figures               held-out figures ("detection.ap", ...), empty when failed
 * @param encoderParameters     scalars in the encoder (0 when unknown)
 * @param totalParameters       scalars in the whole model
 * @param encoderMacs           encoder multiply-adds per image ({@link ModelCost})
 * @param decoderMacs           decoder multiply-adds per image, one pass of the longest sequence
 * @param trainImagesPerSecond  training throughput, the mean of the run's logged windows (all sessions)
 * @param inferImagesPerSecond  held-out inference throughput, every task chained
 * @param trainSeconds          training time (of the last session)
 * @param steps                 the step the model was saved at
 * @param erfSide               the side of the input the ERF was measured on, in pixels
 * @param erf20                 side of the centred square holding 20% of the ERF, in pixels
 * @param erf50                 ... 50%
 * @param erf99                 ... 99%
 */
public record StudyRun(String encoder, String status, String error, Map<String, Double> figures,
        long encoderParameters, long totalParameters, long encoderMacs, long decoderMacs,
        double trainImagesPerSecond, double inferImagesPerSecond, double trainSeconds, long steps,
        int erfSide, int erf20, int erf50, int erf99) {

    public static final String FINISHED = "finished";
    public static final String FAILED = "failed";
    /** The file name of a run's result in its run directory. */
    public static final String FILE = "result.json";

    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

    public StudyRun {
        figures = figures == null ? Map.of() : new TreeMap<>(figures);
    }

    /** A run that failed with {@code error}. */
    public static StudyRun failed(String encoder, String error) {
        return new StudyRun(encoder, FAILED, error, Map.of(), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    public boolean finished() {
        return FINISHED.equals(status);
    }

    public void write(Path file) {
        try {
            AtomicFiles.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(this) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** @throws UncheckedIOException naming the file when it cannot be read */
    public static StudyRun read(Path file) {
        try {
            return JSON.readValue(Files.readString(file), StudyRun.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the study result " + file + ": " + e.getMessage(), e);
        }
    }
}
