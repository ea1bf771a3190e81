package io.seqvision.tasks.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class GenerateShapesCommandTest {

    @Test
    void writesTheRequestedSplits(@TempDir Path dir) {
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new GenerateShapesCommand());
        cli.setOut(new PrintWriter(out));
        int code = cli.execute("--out", dir.toString(), "--seed", "3",
                "--train", "3", "--val", "2", "--min-size", "80", "--max-size", "100", "--max-objects", "2");
        assertEquals(0, code);
        assertTrue(out.toString().contains("train      3 images"), out.toString());
        assertTrue(Files.isRegularFile(dir.resolve("images/train/000003.png")));
        assertTrue(Files.isRegularFile(dir.resolve("images/val/000002.png")));
        assertTrue(Files.isRegularFile(dir.resolve("annotations/captions_val.json")));
    }

    @Test
    void rejectsInvalidOptions(@TempDir Path dir) {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new GenerateShapesCommand());
        cli.setErr(new PrintWriter(err));
        assertNotEquals(0, cli.execute("--out", dir.toString(), "--max-size", "20"));
        assertTrue(err.toString().contains("maxSize must be >= minSize (128), got 20"), err.toString());
        StringWriter usage = new StringWriter();
        CommandLine withoutOut = new CommandLine(new GenerateShapesCommand());
        withoutOut.setErr(new PrintWriter(usage));
        assertNotEquals(0, withoutOut.execute("--seed", "1"));
        assertTrue(usage.toString().contains("Missing required option: '--out=<out>'"), usage.toString());
    }
}
