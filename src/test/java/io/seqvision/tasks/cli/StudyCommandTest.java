package io.seqvision.tasks.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqvision.tasks.config.ConfigLoader;
import io.seqvision.tasks.config.SeqVisionConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code seqvision study}: its options and errors; the study itself runs in EncoderStudyTest. */
class StudyCommandTest {

    private static String[] run(String... args) {
        CommandLine cli = SeqVisionCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new String[] {Integer.toString(code), out.toString(), err.toString()};
    }

    @Test
    void helpNamesTheOptions() {
        String[] help = run("study", "--help");
        assertEquals("0", help[0]);
        assertTrue(help[1].contains("Usage: seqvision study") && help[1].contains("--encoders")
                && help[1].contains("--out") && help[1].contains("--config"), help[1]);
        String[] top = run("--help");
        assertTrue(top[1].contains("study"), top[1]);
    }

    @Test
    void missingEncodersAndBadNamesAreClearErrors(@TempDir Path dir) {
        String[] missing = run("study", "--config", "configs/study-long-range.yaml");
        assertEquals("2", missing[0]);
        assertTrue(missing[2].contains("--encoders"), missing[2]);
        String[] repeated = run("study", "--config", "configs/study-long-range.yaml", "--encoders",
                "convnext-test,convnext-test", "--out", dir.toString());
        assertEquals("2", repeated[0]);
        assertTrue(repeated[2].startsWith("error: --encoders: an encoder is named twice"), repeated[2]);
    }

    @Test
    void theStudyConfigsLoad() {
        SeqVisionConfig study = ConfigLoader.load(Path.of("configs/study-long-range.yaml"));
        assertEquals(1.8, study.data().generate().objectScale());
        assertEquals(128, study.model().imageSize());
        assertEquals("data/shapes-long-range/annotations/instances_train.json", study.data().train().instances());
        // the default shapes config works for a study too: nothing study-specific in it
        assertEquals(1.0, ConfigLoader.load(Path.of("configs/shapes-multitask.yaml")).data().generate().objectScale());
    }
}
