package io.seqvision.tasks.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.seqvision.tasks.api.ApiFixtures;
import java.awt.image.BufferedImage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class PredictCommandTest {

    private static int run(StringWriter out, StringWriter err, String... args) {
        CommandLine cli = SeqVisionCli.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    @Test
    void writesTheResultsAsJsonAndAnAnnotatedPng(@TempDir Path dir) throws Exception {
        Path model = ApiFixtures.savedMultiTaskModel(dir.resolve("m"));
        Path image = dir.resolve("scene.png");
        ImageIO.write(ApiFixtures.image(90, 70, 2), "png", image.toFile());
        StringWriter out = new StringWriter();
        int code = run(out, new StringWriter(), "predict", "--model", model.toString(), "--image", image.toString(),
                "--out", dir.resolve("out").toString());
        assertEquals(0, code);
        JsonNode json = new ObjectMapper().readTree(dir.resolve("out/scene.png.json").toFile());
        assertEquals(90, json.get("image_width").asInt());
        assertTrue(json.get("objects").isArray());
        assertTrue(json.get("caption").isTextual(), "an all-task model captions by default: " + json);
        BufferedImage png = ImageIO.read(dir.resolve("out/scene.png.annotated.png").toFile());
        assertEquals(90, png.getWidth());
        assertTrue(png.getHeight() > 70, "the caption band is drawn below the image");
        assertTrue(out.toString().contains("scene.png.json"), out.toString());
    }

    @Test
    void anUnknownTaskIsOneClearLine(@TempDir Path dir) throws Exception {
        Path model = ApiFixtures.savedMultiTaskModel(dir.resolve("m"));
        Path image = dir.resolve("scene.png");
        ImageIO.write(ApiFixtures.image(40, 40, 2), "png", image.toFile());
        StringWriter err = new StringWriter();
        int code = run(new StringWriter(), err, "predict", "--model", model.toString(), "--image", image.toString(),
                "--tasks", "depth", "--out", dir.resolve("out").toString());
        assertEquals(2, code);
        assertTrue(err.toString().contains("unknown task 'depth'") && err.toString().contains("captioning"),
                err.toString());
        assertFalse(err.toString().contains("\tat "));
    }

    /** Issue 16, item 1: --out the image's own folder, and a.png then a.jpg into one folder. */
    @Test
    void outputsNeverReplaceTheInputOrEachOther(@TempDir Path dir) throws Exception {
        Path model = ApiFixtures.savedMultiTaskModel(dir.resolve("m"));
        Path png = dir.resolve("a.png");
        Path jpg = dir.resolve("a.jpg");
        ImageIO.write(ApiFixtures.image(40, 40, 2), "png", png.toFile());
        ImageIO.write(ApiFixtures.image(50, 30, 3), "jpg", jpg.toFile());
        byte[] original = java.nio.file.Files.readAllBytes(png);
        assertEquals(0, run(new StringWriter(), new StringWriter(), "predict", "--model", model.toString(),
                "--image", png.toString(), "--out", dir.toString()));
        assertEquals(0, run(new StringWriter(), new StringWriter(), "predict", "--model", model.toString(),
                "--image", jpg.toString(), "--out", dir.toString()));
        assertTrue(java.util.Arrays.equals(original, java.nio.file.Files.readAllBytes(png)), "the input is untouched");
        assertEquals(40, new ObjectMapper().readTree(dir.resolve("a.png.json").toFile()).get("image_width").asInt());
        assertEquals(50, new ObjectMapper().readTree(dir.resolve("a.jpg.json").toFile()).get("image_width").asInt());
        assertEquals(40, ImageIO.read(dir.resolve("a.png.annotated.png").toFile()).getWidth());
        assertEquals(50, ImageIO.read(dir.resolve("a.jpg.annotated.png").toFile()).getWidth());
    }

    /** Issue 16: a 50000 x 40000 PNG names the size limit, not ImageIO's "Invalid scanline stride". */
    @Test
    void aGiantImageNamesTheSizeLimit(@TempDir Path dir) throws Exception {
        Path model = ApiFixtures.savedMultiTaskModel(dir.resolve("m"));
        Path giant = dir.resolve("giant.png");
        java.nio.file.Files.write(giant, io.seqvision.web.ImageHeaders.pngHeaderOnly(50000, 40000));
        StringWriter err = new StringWriter();
        int code = run(new StringWriter(), err, "predict", "--model", model.toString(), "--image", giant.toString(),
                "--out", dir.resolve("out").toString());
        assertTrue(code != 0);
        assertTrue(err.toString().contains("is 50000x40000 px; images up to 20000 px a side"), err.toString());
        assertFalse(err.toString().contains("\tat "), err.toString());
    }
}
