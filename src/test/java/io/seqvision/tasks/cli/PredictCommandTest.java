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
        JsonNode json = new ObjectMapper().readTree(dir.resolve("out/scene.json").toFile());
        assertEquals(90, json.get("image_width").asInt());
        assertTrue(json.get("objects").isArray());
        assertTrue(json.get("caption").isTextual(), "an all-task model captions by default: " + json);
        BufferedImage png = ImageIO.read(dir.resolve("out/scene.png").toFile());
        assertEquals(90, png.getWidth());
        assertTrue(png.getHeight() > 70, "the caption band is drawn below the image");
        assertTrue(out.toString().contains("scene.json"), out.toString());
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
}
