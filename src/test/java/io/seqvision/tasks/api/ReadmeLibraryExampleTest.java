package io.seqvision.tasks.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqvision.tasks.data.shapes.ShapesGenerator;
import io.seqvision.tasks.data.shapes.ShapesOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compiles and runs the README's library example ("Using a trained model from Java") as written,
 * on the shipped model, with no training: the only change is that {@code scene.png} names a
 * rendered shapes scene in a temporary folder instead of the working directory.
 */
class ReadmeLibraryExampleTest {

    private static final List<String> IMPORTS = List.of(
            "ai.djl.modality.cv.Image", "ai.djl.modality.cv.ImageFactory", "io.seqvision.tasks.DecodingOptions",
            "java.awt.image.BufferedImage", "java.io.File", "java.nio.file.Path", "java.util.List",
            "javax.imageio.ImageIO");

    @TempDir
    Path dir;

    @Test
    void theExampleCompilesAndRunsOnTheShippedModel() throws Exception {
        String snippet = firstJavaBlockAfter(Files.readString(Path.of("README.md")), "## Using a trained model from Java");
        Path scene = renderScene();
        String body = snippet.replace("\"scene.png\"", "\"" + scene.toString().replace("\\", "\\\\") + "\"");
        StringBuilder source = new StringBuilder("package readme;\n");
        IMPORTS.forEach(i -> source.append("import ").append(i).append(";\n"));
        source.append("import io.seqvision.tasks.api.*;\n")
                .append("public class Example {\n  public static void run() throws Exception {\n")
                .append(body).append("\n  }\n}\n");
        Path sources = Files.createDirectories(dir.resolve("src/readme"));
        Path classes = Files.createDirectories(dir.resolve("classes"));
        Files.writeString(sources.resolve("Example.java"), source);

        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertNotNull(javac, "the tests need a JDK");
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int status = javac.run(null, diagnostics, diagnostics, "-cp", classPath, "-d", classes.toString(),
                sources.resolve("Example.java").toString());
        assertEquals(0, status, "the README example does not compile:\n" + diagnostics.toString(StandardCharsets.UTF_8)
                + "\n" + source);

        PrintStream original = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, getClass().getClassLoader())) {
            Method run = loader.loadClass("readme.Example").getMethod("run");
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            run.invoke(null);
        } finally {
            System.setOut(original);
        }
        List<String> lines = printed.toString(StandardCharsets.UTF_8).lines().toList();
        Pattern line = Pattern.compile("[a-z]+ \\d\\.\\d\\d \\(\\d+,\\d+\\)-\\(\\d+,\\d+\\)");
        assertTrue(lines.stream().anyMatch(l -> line.matcher(l).matches()),
                "the example printed no detection line: " + lines);
    }

    private Path renderScene() throws Exception {
        Path data = dir.resolve("data");
        new ShapesGenerator(new ShapesOptions(11, 0, 1, 160, 320, 3, 5)).generate(data);
        try (Stream<Path> files = Files.list(data.resolve("images").resolve("val"))) {
            return files.filter(p -> p.toString().endsWith(".png")).findFirst().orElseThrow();
        }
    }

    static String firstJavaBlockAfter(String readme, String heading) {
        int at = readme.indexOf(heading);
        assertTrue(at >= 0, "README.md has no section '" + heading + "'");
        Matcher block = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertTrue(block.find(at), "README.md has no java block after '" + heading + "'");
        return block.group(1);
    }
}
