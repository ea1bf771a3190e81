package io.seqvision.web.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.seqvision.tasks.data.shapes.ShapesGenerator;
import io.seqvision.tasks.data.shapes.ShapesOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeypointLayoutTest {

    @TempDir
    Path dir;

    @Test
    void theSkeletonIsTheOneTheShapesDataWritesLessOne() throws Exception {
        new ShapesGenerator(new ShapesOptions(3, 0, 1, 64, 64, 1, 1)).generate(dir);
        JsonNode person = new ObjectMapper().readTree(dir.resolve("annotations/person_keypoints_val.json").toFile())
                .get("categories").get(0);
        List<List<Integer>> oneBased = new ArrayList<>();
        person.get("skeleton").forEach(bone -> oneBased.add(List.of(bone.get(0).asInt() - 1, bone.get(1).asInt() - 1)));
        assertEquals(oneBased, KeypointLayout.COCO.skeleton());
        List<String> names = new ArrayList<>();
        person.get("keypoints").forEach(name -> names.add(name.asText()));
        assertEquals(names, KeypointLayout.COCO.names());
    }

    @Test
    void jsonShapesAreCompactArraysAndBadValuesAreRefused() throws Exception {
        ObjectMapper json = new ObjectMapper();
        assertEquals("[3.5,4.0,2]", json.writeValueAsString(new Keypoint(3.5, 4, 2)));
        assertEquals("[1.0,2.0]", json.writeValueAsString(new Point(1, 2)));
        assertThrows(IllegalArgumentException.class, () -> new Keypoint(0, 0, 3));
        assertThrows(IllegalArgumentException.class, () -> new KeypointLayout(List.of("a", "b"), List.of(List.of(0, 2))));
        assertThrows(IllegalArgumentException.class, () -> new PredictedObject(0, "person", 0, 1, new Box(0, 0, 1, 1),
                null, List.of(new Keypoint(0, 0, 0)), List.of()));
        assertThrows(IllegalArgumentException.class, () -> new Prediction("m", 1, 1, List.of(), List.of(
                PredictedObject.detected(0, "a", 0, 1, new Box(0, 0, 1, 1), new TokenSpan(0, 1, 6))),
                null, null, List.of(), null, 0), "a span pointing at no sequence");
    }
}
