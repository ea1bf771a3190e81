package io.seqvision.bench.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqvision.bench.BenchCli;
import io.seqvision.tasks.data.shapes.ShapesGenerator;
import io.seqvision.tasks.data.shapes.ShapesOptions;
import io.seqvision.tasks.data.shapes.ShapesSummary;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DataBenchTest {

    @TempDir
    Path root;

    @Test
    void reportsTheSplitsCountsAndRates() throws IOException {
        ShapesSummary summary = new ShapesGenerator(new ShapesOptions(2, 6, 0, 64, 80, 1, 4)).generate(root);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code = new CommandLine(new DataBench(new PrintStream(bytes, true, StandardCharsets.UTF_8)))
                .execute("--data", root.toString(), "--side", "16", "--augment", "10");
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, text);
        long objects = summary.splits().get(0).objects();
        assertTrue(text.contains("images 6, objects " + objects + ", with masks " + objects), text);
        assertTrue(text.lines().anyMatch(l -> l.startsWith("load: ")), text);
        assertTrue(text.lines().anyMatch(l -> l.startsWith("augment (scale 0.3-2, flip), one thread: ")), text);
    }

    @Test
    void aMissingSplitIsNamedThroughTheCli() {
        CommandLine cli = BenchCli.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));
        int code = cli.execute("bench-data", "--data", root.toString());
        assertEquals(2, code);
        assertTrue(err.toString().contains("instances_train.json: annotation file not found"), err.toString());
    }
}
