package io.seqvision.tasks.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.seqvision.tasks.TaskKind;
import io.seqvision.tasks.api.Analysis;
import io.seqvision.tasks.api.AnalysisRenderer;
import io.seqvision.tasks.api.SeqVisionModel;
import io.seqvision.tasks.data.ImageInput;
import io.seqvision.tasks.storage.AtomicFiles;
import io.seqvision.tasks.storage.Png;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code seqvision predict}: one image in; a JSON of the results and an annotated PNG out. */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Run a trained model on one image; write <out>/<image file name>.json and"
                + " <out>/<image file name>.annotated.png (scene.png gives scene.png.json and scene.png.annotated.png).")
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
            // the whole file name, extension included: a.png and a.jpg never share results, and no output is the input
            String name = image.getFileName().toString();
            Path json = out.resolve(name + ".json");
            Path png = out.resolve(name + ".annotated.png");
            refuseToReplace(image, json);
            refuseToReplace(image, png);
            ObjectMapper mapper = new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);
            AtomicFiles.writeString(json, mapper.writerWithDefaultPrettyPrinter().writeValueAsString(analysis));
            Png.write(png, AnalysisRenderer.render(picture, analysis));
            spec.commandLine().getOut().printf("%d objects%s%nwrote %s and %s%n", analysis.objects().size(),
                    analysis.caption() == null ? "" : ", caption: " + analysis.caption(), json, png);
            spec.commandLine().getOut().flush();
        }
        return 0;
    }

    private static void refuseToReplace(Path input, Path output) throws java.io.IOException {
        boolean same = input.toAbsolutePath().normalize().equals(output.toAbsolutePath().normalize())
                || (java.nio.file.Files.exists(output) && java.nio.file.Files.isSameFile(input, output));
        if (same) {
            throw new IllegalArgumentException("the output " + output + " would replace the input image; choose"
                    + " another --out");
        }
    }
}
