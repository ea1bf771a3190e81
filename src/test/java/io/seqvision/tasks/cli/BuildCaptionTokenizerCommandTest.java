package io.seqvision.tasks.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqvision.tasks.data.shapes.ShapesGenerator;
import io.seqvision.tasks.data.shapes.ShapesOptions;
import io.seqvision.tokenizers.CaptionTokenizer;
import io.seqvision.tokenizers.Vocabulary;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class BuildCaptionTokenizerCommandTest {

    /** The tokenizer.json shipped in configs/, built by this command from the default shapes data. */
    private static final Path SHIPPED = Path.of("configs/shapes-caption-tokenizer.json");

    @Test
    void theShippedTokenizerRoundTripsFreshShapesCaptions(@TempDir Path dir) throws Exception {
        new ShapesGenerator(ShapesOptions.defaults().withSeed(99).withImages(40, 1)).generate(dir);
        List<String> captions = BuildCaptionTokenizerCommand.read(dir.resolve("annotations/captions_train.json"));
        int size = CaptionTokenizer.textVocabularySize(SHIPPED);
        Vocabulary vocabulary = new Vocabulary(5, 100, size);
        try (CaptionTokenizer tokenizer = CaptionTokenizer.load(SHIPPED, vocabulary, 64)) {
            for (String caption : captions) {
                int[] tokens = tokenizer.encode(caption).tokens();
                assertEquals(caption, tokenizer.decode(tokens), "caption '" + caption + "'");
            }
        }
    }

    @Test
    void theCommandWritesATokenizerThatLoads(@TempDir Path dir) throws Exception {
        new ShapesGenerator(ShapesOptions.defaults().withImages(10, 1)).generate(dir);
        Path out = dir.resolve("tok/tokenizer.json");
        CommandLine cli = SeqVisionCli.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));
        int code = cli.execute("build-caption-tokenizer", "--captions",
                dir.resolve("annotations/captions_train.json").toString(), "--out", out.toString());
        assertEquals(0, code, err.toString());
        assertTrue(Files.isRegularFile(out));
        assertTrue(CaptionTokenizer.textVocabularySize(out) > 10);

        Path notCaptions = dir.resolve("annotations/instances_train.json");
        code = cli.execute("build-caption-tokenizer", "--captions", notCaptions.toString(), "--out",
                dir.resolve("x.json").toString());
        assertEquals(2, code);
        assertTrue(err.toString().contains("instances_train.json"), err.toString());
    }
}
