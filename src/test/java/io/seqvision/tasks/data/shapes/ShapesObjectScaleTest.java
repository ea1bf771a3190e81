package io.seqvision.tasks.data.shapes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqvision.tasks.config.ConfigException;
import io.seqvision.tasks.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The object-scale option of the encoder study's long-range data. */
class ShapesObjectScaleTest {

    private static double meanRelativeSize(ShapesOptions options) {
        ShapesGenerator generator = new ShapesGenerator(options);
        double sum = 0;
        int count = 0;
        for (int i = 0; i < 60; i++) {
            Scene scene = generator.scene("train", i);
            double side = Math.min(scene.width(), scene.height());
            for (SceneObject object : scene.objects()) {
                sum += Math.max(object.bbox()[2], object.bbox()[3]) / side;
                count++;
            }
        }
        return sum / count;
    }

    @Test
    void scaleEnlargesObjectsAndScaleOneIsTheDefaultData() {
        ShapesOptions defaults = ShapesOptions.defaults();
        assertEquals(defaults, defaults.withLayout(128, 256, 1, 6, 1.0));
        double normal = meanRelativeSize(defaults);
        double large = meanRelativeSize(defaults.withLayout(256, 256, 1, 3, 1.8));
        assertTrue(large > 1.4 * normal, normal + " -> " + large);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> defaults.withLayout(128, 256, 1, 6, 3))
                .getMessage().contains("objectScale must be between 0.5 and 2.0, got 3.0"));
    }

    @Test
    void dataOfAnotherLayoutIsStaleAndDefaultFilesDoNotNameTheirs(@TempDir Path dir) throws Exception {
        ShapesOptions options = ShapesOptions.defaults().withImages(2, 1);
        new ShapesGenerator(options).generate(dir);
        assertTrue(!Files.readString(dir.resolve("annotations/instances_val.json")).contains("\"layout\""));
        assertNull(new ShapesGenerator(options).staleness(dir));
        ShapesOptions large = options.withLayout(256, 256, 1, 3, 1.8);
        String stale = new ShapesGenerator(large).staleness(dir);
        assertTrue(stale != null && stale.contains("object scale 1.8"), stale);
        new ShapesGenerator(large).generate(dir);
        assertNull(new ShapesGenerator(large).staleness(dir));
        assertTrue(new ShapesGenerator(options).staleness(dir).contains("sides 256-256 px"));
    }

    @Test
    void theConfigNamesABadGeneratorSetting() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.parse("name: x\ndata: {generate: {object_scale: 0.1}}\n", "bad.yaml"));
        assertTrue(e.getMessage().contains("data.generate") && e.getMessage().contains("object_scale"),
                e.getMessage());
    }
}
