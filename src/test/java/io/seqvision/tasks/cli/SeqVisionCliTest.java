package io.seqvision.tasks.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SeqVisionCliTest {

    private record Run(int exitCode, String out, String err) {}

    private static Run run(String... args) {
        CommandLine cli = SeqVisionCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void everyCommandHasHelp() {
        for (String command : new String[] {"train", "eval", "predict", "generate-shapes"}) {
            Run help = run(command, "--help");
            assertEquals(0, help.exitCode(), command);
            assertTrue(help.out().contains("Usage: seqvision " + command), help.out());
        }
    }

    @Test
    void aMissingConfigIsOneClearLineNotAStackTrace(@TempDir Path dir) {
        Run result = run("train", "--config", dir.resolve("absent.yaml").toString());
        assertEquals(2, result.exitCode());
        assertTrue(result.err().startsWith("error: config file not found"), result.err());
        assertTrue(result.err().contains("absent.yaml"), result.err());
        assertFalse(result.err().contains("\tat "), "no stack trace: " + result.err());
    }

    @Test
    void anUnknownKeyNamesKeyAndFile(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("bad.yaml");
        Files.writeString(config, "training:\n  epochs: 3\n");
        Run result = run("train", "--config", config.toString());
        assertEquals(2, result.exitCode());
        assertTrue(result.err().contains("bad.yaml") && result.err().contains("training.epochs"), result.err());
    }

    @Test
    void evalOfADirectoryThatIsNoModelSaysSo(@TempDir Path dir) {
        Run result = run("eval", "--model", dir.toString());
        assertEquals(2, result.exitCode());
        assertTrue(result.err().contains("not a seqvision model directory"), result.err());
    }
}
