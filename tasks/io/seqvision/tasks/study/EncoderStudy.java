package io.seqvision.tasks.study;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.seqvision.decoder.EncoderDecoderModel;
import io.seqvision.encoder.EncoderRegistry;
import io.seqvision.encoder.erf.EffectiveReceptiveField;
import io.seqvision.tasks.config.ModelConfig;
import io.seqvision.tasks.config.SeqVisionConfig;
import io.seqvision.tasks.curves.MetricPoint;
import io.seqvision.tasks.curves.MetricSeries;
import io.seqvision.tasks.curves.MetricsLog;
import io.seqvision.tasks.data.ImageInput;
import io.seqvision.tasks.data.MultiTaskData;
import io.seqvision.tasks.data.MultiTaskDataset;
import io.seqvision.tasks.jobs.TrainingJob;
import io.seqvision.tasks.model.ModelBundle;
import io.seqvision.tasks.model.TaskSuite;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The encoder study: one config trained once per encoder (same data, seed, schedule and decoder),
 * each evaluated on the held-out split, then a report comparing them ({@link StudyReport}).
 *
 * <p>Layout of the output folder: {@code runs/<encoder>/} is each encoder's run directory (as
 * {@code train} writes it) plus {@code result.json} ({@link StudyRun}) and {@code erf.png}; the
 * report files lie at the top. A run with a {@code result.json} marked finished is not run again;
 * any other resumes from its latest checkpoint (a fresh start when it has none). A run that throws
 * is recorded as failed, with its error, and the study goes on with the next; a later invocation
 * tries it again.
 */
public final class EncoderStudy {

    /** Images the ERF of each trained encoder is averaged over (held-out images). */
    public static final int ERF_IMAGES = 8;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    private final SeqVisionConfig config;
    private final List<String> encoders;
    private final Path out;
    private final PrintStream log;

    /**
     * @param config   the study's config; its {@code model.encoder} is replaced by each encoder in turn
     * @param encoders registry names, at least one, no repeats
     * @param out      the report folder
     */
    public EncoderStudy(SeqVisionConfig config, List<String> encoders, Path out, PrintStream log) {
        if (encoders.isEmpty()) {
            throw new IllegalArgumentException("--encoders: name at least one encoder");
        }
        if (new LinkedHashSet<>(encoders).size() != encoders.size()) {
            throw new IllegalArgumentException("--encoders: an encoder is named twice in " + encoders);
        }
        for (String name : encoders) {
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("--encoders: '" + name + "' is not an encoder name (letters, digits,"
                        + " '.', '_', '-')");
            }
        }
        this.config = config;
        this.encoders = List.copyOf(encoders);
        this.out = out;
        this.log = log;
    }

    /** The run directory of an encoder's run. */
    public Path runDirectory(String encoder) {
        return out.resolve("runs").resolve(encoder);
    }

    /**
     * The config one encoder's run trains: the study's with that encoder, named after it, under {@code
     * out/runs}. The config's {@code model.encoder_options} belong to its own encoder's family, so other
     * encoders run as registered.
     */
    public SeqVisionConfig configFor(String encoder) {
        ModelConfig m = config.model();
        ModelConfig model = new ModelConfig(encoder, m.imageSize(), m.decoder(), m.encoderWeights(), m.pixelMean(),
                m.pixelStd(), encoder.equals(m.encoder()) ? m.encoderOptions() : Map.of());
        return new SeqVisionConfig(encoder, config.seed(), out.resolve("runs").toString(), config.data(), model,
                config.tokenizer(), config.tasks(), config.training(), config.eval());
    }

    /** Runs what is not finished, then writes the report; returns every encoder's result in order. */
    public List<StudyRun> run() {
        TrainingJob.ensureData(config, log);
        List<StudyRun> runs = new ArrayList<>();
        for (String encoder : encoders) {
            runs.add(runOne(encoder));
        }
        Map<String, Double> baseline = baseline();
        new StudyReport(config, runs, baseline).write(out, this::runDirectory);
        log.println("study report: " + out.resolve(StudyReport.MARKDOWN));
        return runs;
    }

    private StudyRun runOne(String encoder) {
        Path result = runDirectory(encoder).resolve(StudyRun.FILE);
        if (Files.isRegularFile(result)) {
            StudyRun previous = StudyRun.read(result);
            if (previous.finished()) {
                log.println("== " + encoder + ": finished earlier, not run again (" + result + ")");
                return previous;
            }
            log.println("== " + encoder + ": failed earlier (" + previous.error() + "), trying again");
        }
        log.println("== " + encoder + ": training " + runDirectory(encoder));
        StudyRun run;
        try {
            run = trainAndMeasure(encoder);
        } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
            String message = e.getMessage() == null || e.getMessage().isBlank() ? e.toString() : e.getMessage();
            log.println("== " + encoder + ": FAILED: " + message);
            run = StudyRun.failed(encoder, message);
        }
        run.write(result);
        return run;
    }

    private StudyRun trainAndMeasure(String encoder) {
        SeqVisionConfig runConfig = configFor(encoder);
        TrainingJob.Report report = TrainingJob.trainAndEvaluate(runConfig, TrainingJob.StartMode.RESUME,
                Long.MAX_VALUE, log);
        if (report.evaluation() == null) {
            throw new IllegalStateException("the run stopped before the end of its schedule (no final model)");
        }
        Path modelDir = report.training().modelDir();
        ModelBundle bundle = ModelBundle.read(modelDir);
        int side = runConfig.model().imageSize();
        try (NDManager manager = NDManager.newBaseManager()) {
            EncoderDecoderModel model = bundle.instantiate(modelDir, EncoderRegistry.defaults(), manager);
            ModelCost cost = ModelCost.of(model, side);
            EffectiveReceptiveField erf = new EffectiveReceptiveField(side, side);
            NDArray images = bundle.imageInput().filesToTensor(manager, erfImages(runConfig));
            for (int start = 0; start < images.getShape().get(0); start += 4) {
                erf.accumulate(model.encoder(), images.get(start + ":" + (start + 4)));
            }
            StudyReport.writeHeatmap(erf, runDirectory(encoder).resolve("erf.png"));
            log.printf(Locale.ROOT, "== %s: %,d encoder parameters, %.1f MMACs per image (encoder), ERF sides"
                    + " 20/50/99%%: %d/%d/%d px%n", encoder, cost.encoderParameters(), cost.encoderMacs() / 1e6,
                    erf.sideHolding(0.2), erf.sideHolding(0.5), erf.sideHolding(0.99));
            return new StudyRun(encoder, StudyRun.FINISHED, null, report.evaluation().figures(),
                    cost.encoderParameters(), cost.totalParameters(), cost.encoderMacs(), cost.decoderMacs(),
                    trainingThroughput(report), report.evaluation().imagesPerSecond(),
                    report.training().seconds(), bundle.step(), side, erf.sideHolding(0.2), erf.sideHolding(0.5),
                    erf.sideHolding(0.99));
        }
    }

    /**
     * Training images/s over the whole run: the mean of the logged windows in its {@code metrics.csv}
     * (every session of a resumed run; evaluations excluded), else the last session's figure.
     */
    private static double trainingThroughput(TrainingJob.Report report) {
        Path metrics = report.run().metrics();
        if (Files.isRegularFile(metrics)) {
            MetricSeries rate = MetricsLog.read(metrics).get("images_per_second");
            if (rate != null && !rate.finitePoints().isEmpty()) {
                return rate.finitePoints().stream().mapToDouble(MetricPoint::value).average().orElse(0);
            }
        }
        return report.training().imagesPerSecond();
    }

    /** The first {@link #ERF_IMAGES} held-out images by file name. */
    private static List<Path> erfImages(SeqVisionConfig config) {
        Path folder = Path.of(config.data().val().images());
        try (Stream<Path> listing = Files.list(folder)) {
            List<Path> files = listing.filter(p -> p.getFileName().toString().matches("(?i).*\\.(png|jpe?g|bmp)"))
                    .sorted().limit(ERF_IMAGES).toList();
            if (files.size() < 4) {
                throw new IllegalArgumentException("data.val.images " + folder + " holds " + files.size()
                        + " images; the ERF needs at least 4");
            }
            return files.subList(0, files.size() / 4 * 4);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list data.val.images " + folder + ": " + e.getMessage(), e);
        }
    }

    /** The trivial baseline's held-out figures (annotations only: images are read at a token size). */
    private Map<String, Double> baseline() {
        ImageInput small = new ImageInput(8, ModelBundle.imageInput(config).normalization());
        MultiTaskDataset train = MultiTaskData.load(TrainingJob.splitFiles(config.data().train()), small);
        MultiTaskDataset val = MultiTaskData.load(TrainingJob.splitFiles(config.data().val()), small,
                train.categoryIds());
        if (config.eval().maxImages() > 0 && val.size() > config.eval().maxImages()) {
            val = new MultiTaskDataset(val.examples().subList(0, config.eval().maxImages()), val.classNames(),
                    val.categoryIds());
        }
        try (TaskSuite suite = TaskSuite.of(config, train.classNames())) {
            return TrivialBaseline.figures(train, val, suite.trained(), config.eval().groundTruthPrompts());
        }
    }
}
