package io.seqvision.web.insight;

import io.seqvision.tasks.data.shapes.ShapesGenerator;
import io.seqvision.tasks.data.shapes.ShapesOptions;
import io.seqvision.tasks.storage.AtomicFiles;
import io.seqvision.web.api.SampleInfo;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * The page's built-in samples: a few synthetic shapes scenes, rendered once at startup by the
 * same generator that makes the training data (a fixed seed of their own, so they are not
 * training images), and kept in memory as PNG bytes.
 */
public final class SampleImages {

    /**
     * The page opens on the first sample, so its seed is one whose first scene holds persons among
     * other shapes: every task (boxes, masks, skeletons, caption) shows at once.
     */
    private static final long SEED = 20_251_137;

    private final Map<String, byte[]> pngs;
    private final Map<String, BufferedImage> images;

    private SampleImages(Map<String, byte[]> pngs, Map<String, BufferedImage> images) {
        this.pngs = pngs;
        this.images = images;
    }

    /** Renders {@code count} scenes of 160 to 320 px with 2 to 6 objects. */
    public static SampleImages generate(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("sample count must be at least 1, got " + count);
        }
        Path dir = null;
        try {
            dir = Files.createTempDirectory("seqvision-samples");
            new ShapesGenerator(new ShapesOptions(SEED, 0, count, 160, 320, 2, 6)).generate(dir);
            Map<String, byte[]> pngs = new LinkedHashMap<>();
            Map<String, BufferedImage> images = new LinkedHashMap<>();
            List<Path> files;
            try (Stream<Path> listing = Files.list(dir.resolve("images").resolve("val"))) {
                files = listing.filter(p -> p.toString().endsWith(".png")).sorted().toList();
            }
            for (int i = 0; i < files.size(); i++) {
                String name = "sample-" + (i + 1) + ".png";
                byte[] bytes = Files.readAllBytes(files.get(i));
                pngs.put(name, bytes);
                images.put(name, ImageIO.read(new ByteArrayInputStream(bytes)));
            }
            return new SampleImages(pngs, images);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot render the sample images: " + e.getMessage(), e);
        } finally {
            if (dir != null) {
                try {
                    AtomicFiles.deleteRecursively(dir);
                } catch (IOException ignored) {
                    // a temporary directory left behind is harmless
                }
            }
        }
    }

    /** Name, URL and size of each sample. */
    public List<SampleInfo> list() {
        List<SampleInfo> infos = new ArrayList<>();
        images.forEach((name, image) ->
                infos.add(new SampleInfo(name, "/api/samples/" + name, image.getWidth(), image.getHeight())));
        return infos;
    }

    /** The PNG bytes of a sample. */
    public Optional<byte[]> png(String name) {
        return Optional.ofNullable(pngs.get(name)).map(byte[]::clone);
    }

    /** The decoded samples, in order (for measuring the receptive field on real images). */
    public List<BufferedImage> images() {
        return List.copyOf(images.values());
    }
}
