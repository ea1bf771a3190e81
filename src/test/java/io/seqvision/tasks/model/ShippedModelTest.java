package io.seqvision.tasks.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the shipped model is found: the property's folder, a class path folder, or unpacked from a jar. */
class ShippedModelTest {

    @TempDir
    Path dir;

    @Test
    void thePropertysFolderComesFirstAndMustHoldTheModel() throws IOException {
        Path models = Files.createDirectories(dir.resolve("models"));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ShippedModel.directory(models.toString(), emptyLoader(), dir.resolve("cache")));
        assertTrue(e.getMessage().contains(models.resolve(ShippedModel.NAME).toString())
                && e.getMessage().contains("--model"), e.getMessage());
        Path model = writeModelFiles(models.resolve(ShippedModel.NAME));
        assertEquals(model, ShippedModel.directory(models.toString(), emptyLoader(), dir.resolve("cache")));
    }

    @Test
    void aClassPathFolderIsReadInPlace() throws IOException {
        Path classes = dir.resolve("classes");
        Path model = writeModelFiles(classes.resolve(ShippedModel.RESOURCE));
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, null)) {
            assertEquals(model.toRealPath(), ShippedModel.directory(null, loader, dir.resolve("cache")).toRealPath());
        }
        assertTrue(Files.notExists(dir.resolve("cache")), "nothing unpacked");
    }

    @Test
    void aModelInAJarIsUnpackedOnceIntoTheCache() throws IOException {
        Path jar = dir.resolve("seqvision.jar");
        byte[] params = {1, 2, 3, 4, 5};
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            put(out, ModelBundle.META_FILE, "{}".getBytes());
            put(out, ModelBundle.CONFIG_FILE, "name: x\n".getBytes());
            put(out, ModelBundle.PARAMS_FILE, params);
            put(out, ShippedModel.FIGURES_JSON, "{\"figures\": {}}".getBytes());
        }
        Path cache = dir.resolve("cache");
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            Path unpacked = ShippedModel.directory(null, loader, cache);
            assertTrue(unpacked.startsWith(cache) && unpacked.getFileName().toString().startsWith(ShippedModel.NAME + "-"),
                    unpacked.toString());
            assertArrayEquals(params, Files.readAllBytes(unpacked.resolve(ModelBundle.PARAMS_FILE)));
            assertTrue(Files.isRegularFile(unpacked.resolve(ShippedModel.FIGURES_JSON)));
            assertTrue(Files.notExists(unpacked.resolve(ModelBundle.CAPTION_TOKENIZER_FILE)), "absent files stay absent");
            Path marker = Files.writeString(unpacked.resolve("marker"), "kept");
            assertEquals(unpacked, ShippedModel.directory(null, loader, cache), "the second call reuses the copy");
            assertTrue(Files.exists(marker));
        }
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            put(out, ModelBundle.META_FILE, "{}".getBytes());
            put(out, ModelBundle.CONFIG_FILE, "name: x\n".getBytes());
            put(out, ModelBundle.PARAMS_FILE, new byte[] {9});
        }
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            Path other = ShippedModel.directory(null, loader, cache);
            assertArrayEquals(new byte[] {9}, Files.readAllBytes(other.resolve(ModelBundle.PARAMS_FILE)),
                    "other parameters: another folder, never the stale copy");
        }
    }

    @Test
    void withoutPropertyOrResourceTheErrorSaysWhereItLooked() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ShippedModel.directory(null, emptyLoader(), dir.resolve("cache")));
        assertTrue(e.getMessage().contains(ShippedModel.RESOURCE) && e.getMessage().contains(ShippedModel.MODELS_PROPERTY)
                && e.getMessage().contains("--model"), e.getMessage());
    }

    private static ClassLoader emptyLoader() {
        return new URLClassLoader(new URL[0], null);
    }

    private static Path writeModelFiles(Path model) throws IOException {
        Files.createDirectories(model);
        Files.writeString(model.resolve(ModelBundle.META_FILE), "{}");
        Files.writeString(model.resolve(ModelBundle.CONFIG_FILE), "name: x\n");
        Files.write(model.resolve(ModelBundle.PARAMS_FILE), new byte[] {1});
        return model;
    }

    private static void put(JarOutputStream jar, String file, byte[] bytes) throws IOException {
        jar.putNextEntry(new JarEntry(ShippedModel.RESOURCE + file));
        OutputStream out = jar;
        out.write(bytes);
        jar.closeEntry();
    }
}
