package io.seqvision.tasks.cli;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.seqvision.decoder.EncoderDecoderModel;
import io.seqvision.encoder.Encoder;
import io.seqvision.encoder.EncoderRegistry;
import io.seqvision.encoder.erf.EffectiveReceptiveField;
import io.seqvision.encoder.erf.ErfHeatmap;
import io.seqvision.tasks.data.ImageInput;
import io.seqvision.tasks.model.ModelBundle;
import io.seqvision.tasks.storage.Png;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code seqvision erf}: effective-receptive-field heatmaps, one PNG per encoder. */
@Command(name = "erf", mixinStandardHelpOptions = true,
        description = "Write an effective-receptive-field heatmap (PNG) per encoder: the gradient of the centre"
                + " output with respect to the input, summed over images.")
public final class ErfCommand implements Callable<Integer> {

    @Option(names = "--encoder", description = "registry name of an encoder, randomly initialised (repeatable)")
    List<String> encoders = new ArrayList<>();

    @Option(names = "--model", description = "a trained model directory: use its encoder")
    Path model;

    @Option(names = "--images", description = "folder of images, normalised with the --model's pixel mean and std, else ImageNet's"
            + " (default: Gaussian-noise images)")
    Path images;

    @Option(names = "--count", description = "images to aggregate over (default: ${DEFAULT-VALUE})")
    int count = 16;

    @Option(names = "--size", description = "input side in pixels (default: ${DEFAULT-VALUE})")
    int size = 224;

    @Option(names = "--seed", description = "seed for initialisation and noise (default: ${DEFAULT-VALUE})")
    int seed = 1;

    @Option(names = "--out", description = "output folder (default: ${DEFAULT-VALUE})")
    Path out = Path.of("erf");

    @Override
    public Integer call() {
        if (encoders.isEmpty() && model == null) {
            throw new IllegalArgumentException("name at least one --encoder or a --model");
        }
        EncoderRegistry registry = EncoderRegistry.defaults();
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(seed);
            NDArray batch = inputs(manager);
            for (String name : encoders) {
                Encoder encoder = registry.create(name);
                encoder.initialize(manager, DataType.FLOAT32, batch.getShape());
                write(name, encoder, batch);
            }
            if (model != null) {
                ModelBundle bundle = ModelBundle.read(model);
                EncoderDecoderModel trained = bundle.instantiate(model, registry, manager);
                write(bundle.config().model().encoder() + "-trained", trained.encoder(), batch);
            }
        }
        return 0;
    }

    private void write(String name, Encoder encoder, NDArray batch) {
        if (size % encoder.outputStride() != 0) {
            throw new IllegalArgumentException("--size " + size + " is not a multiple of " + name
                    + "'s stride " + encoder.outputStride());
        }
        EffectiveReceptiveField erf = new EffectiveReceptiveField(size, size);
        for (int start = 0; start < count; start += 4) {
            erf.accumulate(encoder, batch.get(start + ":" + Math.min(count, start + 4)));
        }
        Path file = out.resolve("erf-" + name + ".png");
        Png.write(file, ErfHeatmap.render(erf, 2));
        System.out.printf(Locale.ROOT, "%-22s %s  side holding 20%%: %d px, 50%%: %d px, 99%%: %d px%n",
                name, file, erf.sideHolding(0.2), erf.sideHolding(0.5), erf.sideHolding(0.99));
    }

    private NDArray inputs(NDManager manager) {
        if (images == null) {
            return manager.randomNormal(new Shape(count, 3, size, size));
        }
        List<Path> files;
        try (Stream<Path> listing = Files.list(images)) {
            files = listing.filter(p -> p.getFileName().toString().matches("(?i).*\\.(png|jpe?g|bmp)"))
                    .sorted().limit(count).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list images in " + images + ": " + e.getMessage(), e);
        }
        if (files.size() < count) {
            throw new IllegalArgumentException(images + " holds " + files.size() + " images, --count asks for " + count);
        }
        // a trained model's encoder sees images normalised as in training and inference
        ImageInput input = model == null ? ImageInput.imageNet(size)
                : new ImageInput(size, ModelBundle.read(model).imageInput().normalization());
        return input.filesToTensor(manager, files);
    }
}
