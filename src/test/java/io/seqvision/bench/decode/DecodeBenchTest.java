package io.seqvision.bench.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqvision.bench.BenchCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import picocli.CommandLine;
import org.junit.jupiter.api.Test;

class DecodeBenchTest {

    @Test
    void printsOneRowPerModelAndLengthWithBothPaths() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int code = new CommandLine(new DecodeBench(new PrintStream(bytes, true, StandardCharsets.UTF_8)))
                .execute("--models", "tiny", "--lengths", "3,6", "--repeats", "1", "--batch", "2");
        assertEquals(0, code);
        List<String> rows = bytes.toString(StandardCharsets.UTF_8).lines()
                .filter(line -> line.startsWith("| tiny |")).toList();
        assertEquals(2, rows.size(), bytes.toString(StandardCharsets.UTF_8));
        for (String row : rows) {
            String[] cells = row.split("\\|");
            assertTrue(Double.parseDouble(cells[5].trim()) > 0, row);
            assertTrue(Double.parseDouble(cells[6].trim()) > 0, row);
            assertTrue(cells[7].trim().endsWith("x"), row);
        }
    }

    @Test
    void anUnknownPresetIsNamedThroughTheCli() {
        CommandLine cli = BenchCli.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));
        int code = cli.execute("bench-decode", "--models", "huge");
        assertEquals(2, code);
        assertTrue(err.toString().contains("huge") && err.toString().contains("valid: default, t, tiny"), err.toString());
    }
}
