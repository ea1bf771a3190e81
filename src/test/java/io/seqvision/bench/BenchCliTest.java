package io.seqvision.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqvision.tasks.cli.SeqVisionCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BenchCliTest {

    @Test
    void theBenchmarksAreItsSubcommandsAndNotTheProductCli() {
        Set<String> bench = BenchCli.commandLine().getSubcommands().keySet();
        assertEquals(Set.of("bench-train", "bench", "bench-decode", "bench-data", "bench-serve", "bench-dwconv",
                "bench-predict-loop"), bench);
        assertTrue(SeqVisionCli.commandLine().getSubcommands().keySet().stream().noneMatch(n -> n.startsWith("bench")),
                "the user's CLI lists no benchmark: " + SeqVisionCli.commandLine().getSubcommands().keySet());
    }

    @Test
    void depthwiseConvBenchRunsATinyShape() {
        assertEquals(0, BenchCli.commandLine().execute("bench-dwconv", "1", "2", "8", "8", "1", "3", "3x5"));
    }

    @Test
    void depthwiseConvBenchNamesBadArguments() {
        assertTrue(failing("bench-dwconv", "1", "2").contains("B C H W"));
        assertTrue(failing("bench-dwconv", "1", "2", "8", "8", "1", "big").contains("K or MxN, got big"));
    }

    private static String failing(String... args) {
        CommandLine cli = BenchCli.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));
        assertEquals(2, cli.execute(args), err.toString());
        return err.toString();
    }
}
