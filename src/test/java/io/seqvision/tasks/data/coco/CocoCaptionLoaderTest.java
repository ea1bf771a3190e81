package io.seqvision.tasks.data.coco;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqvision.tasks.data.DatasetException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CocoCaptionLoaderTest {

    private static final String IMAGES = """
            "images": [{"id": 1, "file_name": "a.png", "width": 100, "height": 80},
                       {"id": 2, "file_name": "b.png", "width": 50, "height": 60}]""";

    @TempDir
    Path dir;

    private Path write(String json) throws IOException {
        return Files.writeString(dir.resolve("captions_test.json"), json);
    }

    private static String withCaptions(String annotations) {
        return "{" + IMAGES + ",\n\"annotations\": [" + annotations + "]}";
    }

    private static String caption(long id, long imageId, String text) {
        return "{\"id\": " + id + ", \"image_id\": " + imageId + ", \"caption\": " + text + "}";
    }

    private void failure(String json, String... fragments) throws IOException {
        Path file = write(json);
        DatasetException e = assertThrows(DatasetException.class, () -> CocoCaptionLoader.load(file));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), "'" + fragment + "' missing from: " + e.getMessage());
        }
    }

    @Test
    void loadsCaptionsPerImageInFileOrder() throws IOException {
        Path file = write("{\"info\": {}, \"licenses\": [], " + IMAGES.replace("\n", " ") + ", \"annotations\": ["
                + caption(5, 2, "\"a red circle \\n\"") + ", " + caption(3, 1, "\"a blue star\"") + ", "
                + caption(9, 2, "\"two shapes\"") + "]}");
        CocoCaptions captions = CocoCaptionLoader.load(file);
        assertEquals(2, captions.images().size());
        assertEquals(List.of("a red circle", "two shapes"), captions.captionsOf(2), "stripped, file order");
        assertEquals(List.of("a blue star"), captions.captionsOf(1));
        assertEquals(List.of(), captions.captionsOf(7));
        assertEquals(new CocoCaption(5, 2, "a red circle"), captions.captions().get(0));
        assertEquals(file, captions.file());
    }

    @Test
    void rejectsBadCaptionFiles() throws IOException {
        failure(withCaptions(caption(1, 3, "\"x\"")), "caption id 1", "unknown image id 3");
        failure(withCaptions(caption(1, 1, "\"\"")), "annotations[0] (id 1)", "'caption' must be a non-empty string");
        failure(withCaptions(caption(1, 1, "\"  \\t \"")), "annotations[0] (id 1)", "'caption' is blank");
        failure(withCaptions(caption(1, 1, "17")), "annotations[0] (id 1)", "'caption' must be a non-empty string");
        failure(withCaptions("{\"id\": 1, \"image_id\": 1}"), "annotations[0] (id 1)", "missing required field 'caption'");
        failure(withCaptions(caption(4, 1, "\"a\"") + ", " + caption(4, 2, "\"b\"")),
                "duplicate annotation id 4", "annotations[0] and annotations[1]");
        failure("{" + IMAGES + ", \"annotations\": [" + caption(1, 1, "\"a\"") + "", "malformed JSON at line 2", "end-of-input");
        failure("{" + IMAGES + "}", "missing required top-level field 'annotations'");
        failure("{\"annotations\": []}", "missing required top-level field 'images'");
        failure("{\"images\": [{\"id\": 1, \"file_name\": \"a.png\", \"width\": 0, \"height\": 2}], \"annotations\": []}",
                "images[0] (id 1)", "image size must be positive");
        Path missing = dir.resolve("nothing.json");
        DatasetException e = assertThrows(DatasetException.class, () -> CocoCaptionLoader.load(missing));
        assertTrue(e.getMessage().contains("captions file not found"), e.getMessage());
    }
}
