package io.seqvision.web.insight;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.seqvision.decoder.EncoderDecoderModel;
import io.seqvision.encoder.Encoder;
import io.seqvision.encoder.EncoderRegistry;
import io.seqvision.encoder.erf.EffectiveReceptiveField;
import io.seqvision.encoder.erf.ErfHeatmap;
import io.seqvision.tasks.api.StudyTable;
import io.seqvision.tasks.model.ModelBundle;
import io.seqvision.tasks.storage.Png;
import io.seqvision.web.ApiException;
import io.seqvision.web.api.LearningCurves;
import io.seqvision.web.api.ReceptiveFieldSummary;
import io.seqvision.web.api.StudyTableView;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Insights read from a model directory and its run: the trained encoder's effective receptive
 * field, measured once (on first request) over the given images at the model's input size, and the
 * run's {@code metrics.csv} ({@code runs/<name>/metrics.csv} next to {@code runs/<name>/model}, or in
 * the model directory for a shipped model),
 * read afresh on every request so that a run still training shows its latest steps.
 */
public final class RunInsights implements ModelInsights {

    private static final int ERF_BATCH = 4;

    private final Path modelDir;
    private final List<BufferedImage> erfImages;
    private ReceptiveFieldMap receptiveField;
    private RuntimeException receptiveFieldFailure;

    /**
     * @param modelDir a model directory written by training
     * @param erfImages the images the receptive field is summed over, at least one
     */
    public RunInsights(Path modelDir, List<BufferedImage> erfImages) {
        if (erfImages.isEmpty()) {
            throw new IllegalArgumentException("the receptive field needs at least one image");
        }
        this.modelDir = modelDir;
        this.erfImages = List.copyOf(erfImages);
    }

    /** The run's metrics file: next to the model directory, or in it (a shipped model carries its run's). */
    public Path metricsFile() {
        Path inside = modelDir.resolve("metrics.csv");
        if (Files.isRegularFile(inside)) {
            return inside;
        }
        Path parent = modelDir.toAbsolutePath().getParent();
        return parent == null ? modelDir.resolve("metrics.csv") : parent.resolve("metrics.csv");
    }

    @Override
    public synchronized ReceptiveFieldMap receptiveField() {
        if (receptiveField == null && receptiveFieldFailure == null) {
            try {
                receptiveField = measure();
            } catch (RuntimeException e) {
                receptiveFieldFailure = e;
            }
        }
        if (receptiveFieldFailure != null) {
            throw ApiException.notFound("no_erf", "the receptive field of " + modelDir + " could not be measured: "
                    + receptiveFieldFailure.getMessage());
        }
        return receptiveField;
    }

    @Override
    public LearningCurves learningCurves() {
        Path file = metricsFile();
        if (!Files.isRegularFile(file)) {
            throw ApiException.notFound("no_metrics", "no metrics.csv next to the model directory (looked for "
                    + file + ")");
        }
        return MetricsCsv.read(file);
    }

    @Override
    public StudyTableView study() {
        StudyTable table = StudyTable.forModel(modelDir).orElseThrow(() -> ApiException.notFound("no_study",
                modelDir + " is not a model of an encoder study (no study.json two folders above its run)"));
        return new StudyTableView(table.study(), table.encoder(), table.columns(), table.rows());
    }

    private ReceptiveFieldMap measure() {
        ModelBundle bundle = ModelBundle.read(modelDir);
        int side = bundle.config().model().imageSize();
        try (NDManager manager = NDManager.newBaseManager()) {
            EncoderDecoderModel network = bundle.instantiate(modelDir, EncoderRegistry.defaults(), manager);
            Encoder encoder = network.encoder();
            EffectiveReceptiveField erf = new EffectiveReceptiveField(side, side);
            for (int start = 0; start < erfImages.size(); start += ERF_BATCH) {
                List<BufferedImage> batch = erfImages.subList(start, Math.min(erfImages.size(), start + ERF_BATCH));
                try (NDManager step = manager.newSubManager()) {
                    NDArray input = bundle.imageInput().toTensor(step, batch);
                    erf.accumulate(encoder, input);
                }
            }
            byte[] png = Png.bytes(ErfHeatmap.render(erf, Math.max(1, 256 / side)));
            ReceptiveFieldSummary summary = new ReceptiveFieldSummary(bundle.config().model().encoder(), side,
                    erf.images(), erf.sideHolding(0.2), erf.sideHolding(0.5), erf.sideHolding(0.99));
            return new ReceptiveFieldMap(summary, png);
        }
    }
}
