package io.seqvision.tasks.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.seqvision.tasks.data.DatasetException;
import io.seqvision.tasks.storage.AtomicFiles;
import io.seqvision.tokenizers.CaptionVocabularyBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code seqvision build-caption-tokenizer}: a word-level tokenizer.json from COCO captions files. */
@Command(name = "build-caption-tokenizer", mixinStandardHelpOptions = true,
        description = "Build a word-level HuggingFace tokenizer.json from COCO captions JSON files.")
public final class BuildCaptionTokenizerCommand implements Callable<Integer> {

    @Option(names = "--captions", required = true, description = "COCO captions JSON (repeatable)")
    List<Path> captions = new ArrayList<>();

    @Option(names = "--out", required = true, description = "the tokenizer.json to write")
    Path out;

    @Option(names = "--min-count", description = "drop words seen fewer times (default: ${DEFAULT-VALUE})")
    int minCount = 1;

    @Override
    public Integer call() {
        CaptionVocabularyBuilder builder = new CaptionVocabularyBuilder().optMinCount(minCount);
        int count = 0;
        for (Path file : captions) {
            List<String> texts = read(file);
            builder.addAll(texts);
            count += texts.size();
        }
        ObjectMapper json = new ObjectMapper();
        AtomicFiles.write(out, stream -> json.writerWithDefaultPrettyPrinter().writeValue(stream, builder.toJson()));
        System.out.println("wrote " + out + ": " + builder.size() + " tokens from " + count + " captions");
        return 0;
    }

    static List<String> read(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readString(file));
        } catch (IOException e) {
            throw new DatasetException(file + ": cannot read captions: " + e.getMessage(), e);
        }
        JsonNode annotations = root == null ? null : root.get("annotations");
        if (annotations == null || !annotations.isArray()) {
            throw new DatasetException(file + ": no 'annotations' array; not a COCO captions file");
        }
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < annotations.size(); i++) {
            JsonNode caption = annotations.get(i).get("caption");
            if (caption == null || !caption.isTextual()) {
                throw new DatasetException(file + ": annotation " + i + " has no 'caption' string");
            }
            texts.add(caption.asText());
        }
        return texts;
    }
}
