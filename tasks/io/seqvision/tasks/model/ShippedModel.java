package io.seqvision.tasks.model;

import io.seqvision.tasks.storage.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Where the model that ships with seqvision is: the shapes multi-task model trained by the main job,
 * used by {@code serve}, {@code predict}, {@code eval} and {@code SeqVisionModel.load()} when no
 * model is named.
 *
 * <p>It lives in the checkout at {@code models/shapes-multitask/} (the bundle files, its held-out
 * figures {@value #FIGURES_JSON} and {@value #FIGURES_MARKDOWN}, and the run's {@code metrics.csv})
 * and, through the build, on the class path at {@value #RESOURCE}, so it is found in this order:
 * <ol>
 *   <li>the system property {@value #MODELS_PROPERTY}, a folder holding shipped models ({@code
 *       bin/seqvision} sets it to the checkout's {@code models/}, so a model swapped in there is
 *       used at once, without a rebuild);
 *   <li>the class path resource, read in place when it is a plain directory (the build's {@code
 *       target/classes}) and otherwise (inside a jar) unpacked once into a cache folder named by the
 *       parameters' digest, {@code ~/.cache/seqvision/models/} (or {@code $XDG_CACHE_HOME}).
 * </ol>
 */
public final class ShippedModel {

    /** The shipped model's folder name. */
    public static final String NAME = "shapes-multitask";
    /** System property naming a folder that holds the shipped model's folder. */
    public static final String MODELS_PROPERTY = "seqvision.models";
    /** The class path folder of the shipped model. */
    public static final String RESOURCE = "io/seqvision/models/" + NAME + "/";
    /** Its held-out figures, machine-readable. */
    public static final String FIGURES_JSON = "figures.json";
    /** Its held-out figures as a Markdown table. */
    public static final String FIGURES_MARKDOWN = "figures.md";
    /** The learning curves of the run that trained it. */
    public static final String METRICS_FILE = "metrics.csv";
    /** Every file a shipped model folder may hold; the first three must be there. */
    public static final List<String> FILES = List.of(ModelBundle.META_FILE, ModelBundle.CONFIG_FILE,
            ModelBundle.PARAMS_FILE, ModelBundle.CAPTION_TOKENIZER_FILE, FIGURES_JSON, FIGURES_MARKDOWN, METRICS_FILE);

    private ShippedModel() {}

    /**
     * The shipped model's directory.
     *
     * @throws IllegalStateException saying where it looked when there is none
     */
    public static Path directory() {
        return directory(System.getProperty(MODELS_PROPERTY), ShippedModel.class.getClassLoader(), cacheRoot());
    }

    /** As {@link #directory()}, with the property's value, the class loader and the cache folder given. */
    static Path directory(String modelsProperty, ClassLoader loader, Path cacheRoot) {
        if (modelsProperty != null && !modelsProperty.isBlank()) {
            Path dir = Path.of(modelsProperty).resolve(NAME);
            if (!Files.isRegularFile(dir.resolve(ModelBundle.META_FILE))) {
                throw new IllegalStateException("no shipped model in " + dir + " (the folder -D" + MODELS_PROPERTY
                        + " names): it needs " + ModelBundle.META_FILE + "; name a model directory with --model");
            }
            return dir;
        }
        URL meta = loader.getResource(RESOURCE + ModelBundle.META_FILE);
        if (meta == null) {
            throw new IllegalStateException("no shipped model: " + RESOURCE + " is not on the class path and -D"
                    + MODELS_PROPERTY + " is not set; name a model directory with --model");
        }
        if (meta.getProtocol().equals("file")) {
            try {
                return Path.of(meta.toURI()).getParent();
            } catch (URISyntaxException e) {
                throw new IllegalStateException("cannot read the shipped model at " + meta + ": " + e.getMessage(), e);
            }
        }
        return unpacked(loader, cacheRoot);
    }

    /** The checkout folder {@code train --ship} and {@code ship} write to by default. */
    public static Path checkoutDirectory() {
        String models = System.getProperty(MODELS_PROPERTY);
        return (models == null || models.isBlank() ? Path.of("models") : Path.of(models)).resolve(NAME);
    }

    private static Path cacheRoot() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("seqvision").resolve("models");
    }

    /** The resource copied once into the cache; a folder already there (same digest) is reused. */
    private static Path unpacked(ClassLoader loader, Path cacheRoot) {
        Path target = cacheRoot.resolve(NAME + "-" + digest(loader));
        if (Files.isRegularFile(target.resolve(ModelBundle.META_FILE))) {
            return target;
        }
        AtomicFiles.writeDirectory(target, temp -> {
            for (String file : FILES) {
                try (InputStream in = loader.getResourceAsStream(RESOURCE + file)) {
                    if (in != null) {
                        Files.copy(in, temp.resolve(file));
                    }
                }
            }
        });
        return target;
    }

    /** The first 16 hex digits of the SHA-256 of the bundle's metadata, config and parameters. */
    private static String digest(ClassLoader loader) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String file : List.of(ModelBundle.META_FILE, ModelBundle.CONFIG_FILE, ModelBundle.PARAMS_FILE)) {
                try (InputStream in = loader.getResourceAsStream(RESOURCE + file)) {
                    if (in == null) {
                        throw new IllegalStateException("the shipped model on the class path lacks " + RESOURCE + file);
                    }
                    new DigestInputStream(in, sha).transferTo(java.io.OutputStream.nullOutputStream());
                }
            }
            return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the shipped model on the class path: " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }
}
