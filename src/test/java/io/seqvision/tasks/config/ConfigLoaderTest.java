package io.seqvision.tasks.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @Test
    void aFileOverridesOnlyWhatItNames() {
        SeqVisionConfig c = ConfigLoader.parse("training:\n  batch_size: 4\nmodel:\n  encoder: convnext-tiny\n", "x.yaml");
        assertEquals(4, c.training().batchSize());
        assertEquals("convnext-tiny", c.model().encoder());
        assertEquals(ConfigLoader.defaults().training().steps(), c.training().steps());
    }

    @Test
    void jsonIsAcceptedToo() {
        SeqVisionConfig c = ConfigLoader.parse(
                "{\"seed\": 9, \"tasks\": {\"keypoints\": {\"sampling\": {\"sampler\": \"nucleus\"}}}}", "x.json");
        assertEquals(9, c.seed());
        assertEquals("nucleus", c.tasks().keypoints().sampling().sampler());
    }

    @Test
    void writtenConfigReadsBackEqual() {
        SeqVisionConfig c = ConfigLoader.parse("name: abc\ntokenizer:\n  coord_bins: 500\n", "x.yaml");
        assertEquals(c, ConfigLoader.parse(ConfigLoader.toYaml(c), "round-trip"));
    }

    @Test
    void unknownKeyNamesKeyAndFile() {
        String m = assertThrows(ConfigException.class,
                () -> ConfigLoader.parse("training:\n  lerning_rate: 0.1\n", "my.yaml")).getMessage();
        assertTrue(m.contains("my.yaml") && m.contains("training.lerning_rate") && m.contains("learning_rate"), m);
    }

    @Test
    void wrongTypeNamesKeyAndFile() {
        String m = assertThrows(ConfigException.class,
                () -> ConfigLoader.parse("training:\n  batch_size: many\n", "my.yaml")).getMessage();
        assertTrue(m.contains("my.yaml") && m.contains("batch_size") && m.contains("integer"), m);
        String quoted = assertThrows(ConfigException.class,
                () -> ConfigLoader.parse("training:\n  steps: \"10\"\n", "my.yaml")).getMessage();
        assertTrue(quoted.contains("steps"), quoted);
        String mapping = assertThrows(ConfigException.class,
                () -> ConfigLoader.parse("model: convnext\n", "my.yaml")).getMessage();
        assertTrue(mapping.contains("'model' must be a mapping"), mapping);
    }

    @Test
    void outOfRangeValuesNameKey() {
        String m = assertThrows(ConfigException.class,
                () -> ConfigLoader.parse("training:\n  batch_size: 0\n", "my.yaml")).getMessage();
        assertTrue(m.contains("my.yaml") && m.contains("training.batch_size") && m.contains("positive"), m);
        String order = assertThrows(ConfigException.class,
                () -> ConfigLoader.parse("training:\n  object_order: sorted\n", "my.yaml")).getMessage();
        assertTrue(order.contains("object_order") && order.contains("random"), order);
        String heads = assertThrows(ConfigException.class,
                () -> ConfigLoader.parse("model:\n  decoder:\n    width: 100\n    heads: 3\n", "my.yaml")).getMessage();
        assertTrue(heads.contains("divisible"), heads);
    }

    @Test
    void malformedYamlNamesFileAndLine() {
        String m = assertThrows(ConfigException.class,
                () -> ConfigLoader.parse("training: [1, 2\n", "broken.yaml")).getMessage();
        assertTrue(m.contains("broken.yaml") && m.contains("line"), m);
    }

    @Test
    void missingFileIsNamed(@TempDir Path dir) {
        Path missing = dir.resolve("nope.yaml");
        String m = assertThrows(ConfigException.class, () -> ConfigLoader.load(missing)).getMessage();
        assertTrue(m.contains("nope.yaml"), m);
    }

    @Test
    void loadsFromFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("c.yaml");
        Files.writeString(file, "name: from-file\n");
        assertEquals("from-file", ConfigLoader.load(file).name());
    }

    // Issue 16, items 4-6 and the jargon in messages

    @Test
    void anEmptyConfigFileIsAnErrorNamingTheFile(@TempDir Path dir) throws Exception {
        Path empty = dir.resolve("empty.yaml");
        Files.writeString(empty, "# nothing yet\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(empty));
        assertTrue(e.getMessage().startsWith(empty + ": the config is empty"), e.getMessage());
    }

    @Test
    void aDuplicateKeyIsAnErrorNamingTheKey() {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.parse(
                "name: dup\ntraining: {steps: 10}\nmodel: {image_size: 64}\ntraining: {batch_size: 2}\n", "dup.yaml"));
        assertTrue(e.getMessage().startsWith("dup.yaml: key 'training' appears twice"), e.getMessage());
    }

    @Test
    void aFractionalIntegerIsAnErrorNamingKeyAndValue() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.parse("name: frac\ntraining: {steps: 2.5}\n", "frac.yaml"));
        assertEquals("frac.yaml: key 'training.steps' expects an integer but got '2.5'", e.getMessage());
    }

    @Test
    void aQuotedNumberIsRefusedWithoutLibraryJargon() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.parse("name: q\ntraining: {batch_size: \"64\"}\n", "q.yaml"));
        assertEquals("q.yaml: key 'training.batch_size' expects an integer but got '64' (quoted)", e.getMessage());
        assertTrue(!e.getMessage().contains("Coercion"), e.getMessage());
    }
}
