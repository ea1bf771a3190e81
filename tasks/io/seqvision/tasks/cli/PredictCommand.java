package io.seqvision.tasks.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.seqvision.tasks.TaskKind;
import io.seqvision.tasks.api.Analysis;
import io.seqvision.tasks.api.AnalysisRenderer;
import io.seqvision.tasks.api.SeqVisionModel;
import io.seqvision.tasks.data.ImageInput;
import io.seqvision.tasks.storage.AtomicFiles;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code seqvision predict}: one image in; a JSON of the results and an annotated PNG out. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Run a trained model on one image; write <out>/<image>.json and <out>/<image>.png.")
public final class PredictCommand implements Callable<Integer> {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", description = "model directory written by train (default: the shipped model)")
    Path model;

    @Option(names = "--image", required = true, description = "image file (PNG, JPEG, BMP, GIF)")
    Path image;

    @Option(names = "--tasks", split = ",",
            description = "tasks to run (detection, segmentation, keypoints, captioning); default: all the model has")
    List<String> tasks;

    @Option(names = "--out", defaultValue = "predictions", description = "output folder (default: ${DEFAULT-VALUE})")
    Path out;

    @Override
    public Integer call() throws Exception {
        BufferedImage picture = ImageInput.read(image);
        try (SeqVisionModel loaded = model != null ? SeqVisionModel.load(model) : SeqVisionModel.load()) {
            Set<TaskKind> asked = EnumSet.noneOf(TaskKind.class);
            if (tasks == null || tasks.isEmpty()) {
                asked.addAll(loaded.tasks());
            } else {
                for (String task : tasks) {
                    asked.add(TaskKind.of(task.trim()));
                }
            }
            Analysis analysis = loaded.analyze(picture, asked, null);
            String stem = image.getFileName().toString().replaceFirst("\\.[^.]+$", "");
            Path json = out.resolve(stem + ".json");
            Path png = out.resolve(stem + ".png");
            ObjectMapper mapper = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
            AtomicFiles.writeString(json, mapper.writerWithDefaultPrettyPrinter().writeValueAsString(analysis));
            AtomicFiles.write(png, stream -> ImageIO.write(AnalysisRenderer.render(picture, analysis), "png", stream));
            spec.commandLine().getOut().printf("%d objects%s%nwrote %s and %s%n", analysis.objects().size(),
                    analysis.caption() == null ? "" : ", caption: " + analysis.caption(), json, png);
            spec.commandLine().getOut().flush();
        }
        return 0;
    }
}
