package io.seqvision.tasks.data.shapes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CaptionsTest {

    private static SceneObject object(ShapeCategory category, ShapeColor color, double x, double y, double size) {
        double[] square = {x, y, x + size, y, x + size, y + size, x, y + size};
        return new SceneObject(category, color, List.of(square), new double[] {x, y, size, size}, size * size,
                null, List.of(), 0, new int[0], 0);
    }

    @Test
    void relationFollowsTheLargerCentreOffset() {
        SceneObject a = object(ShapeCategory.CIRCLE, ShapeColor.RED, 10, 10, 20);
        SceneObject right = object(ShapeCategory.STAR, ShapeColor.BLUE, 60, 20, 20);
        SceneObject below = object(ShapeCategory.STAR, ShapeColor.BLUE, 15, 70, 20);
        assertEquals("left of", Captions.relation(a, right));
        assertEquals("right of", Captions.relation(right, a));
        assertEquals("above", Captions.relation(a, below));
        assertEquals("below", Captions.relation(below, a));
    }

    @Test
    void listingGroupsCountsAndUsesArticles() {
        List<SceneObject> objects = List.of(
                object(ShapeCategory.CIRCLE, ShapeColor.BLUE, 0, 0, 10),
                object(ShapeCategory.STAR, ShapeColor.ORANGE, 20, 0, 10),
                object(ShapeCategory.CIRCLE, ShapeColor.BLUE, 40, 0, 10),
                object(ShapeCategory.PERSON, ShapeColor.RED, 60, 0, 10),
                object(ShapeCategory.PERSON, ShapeColor.RED, 80, 0, 10),
                object(ShapeCategory.TRIANGLE, ShapeColor.GREEN, 0, 40, 10));
        assertEquals("two blue circles, an orange star, two people in red and a green triangle",
                Captions.listing(objects));
        assertEquals("a person in red", Captions.nounPhrase(objects.get(3)));
        assertEquals("a blue circle", Captions.listing(objects.subList(0, 1)));
    }

    @Test
    void regionsCutTheImageIntoThirds() {
        assertEquals("at the top left", Captions.region(object(ShapeCategory.SQUARE, ShapeColor.RED, 0, 0, 10), 90, 90));
        assertEquals("in the centre", Captions.region(object(ShapeCategory.SQUARE, ShapeColor.RED, 40, 40, 10), 90, 90));
        assertEquals("on the right", Captions.region(object(ShapeCategory.SQUARE, ShapeColor.RED, 70, 40, 10), 90, 90));
        assertEquals("at the bottom", Captions.region(object(ShapeCategory.SQUARE, ShapeColor.RED, 40, 80, 10), 90, 90));
    }

    @Test
    void writesTwoOrThreeDistinctCaptionsStartingWithTheFullListing() {
        List<SceneObject> two = List.of(
                object(ShapeCategory.SQUARE, ShapeColor.YELLOW, 0, 0, 10),
                object(ShapeCategory.CIRCLE, ShapeColor.WHITE, 0, 50, 10));
        List<SceneObject> one = two.subList(0, 1);
        for (int seed = 0; seed < 50; seed++) {
            for (List<SceneObject> objects : List.of(one, two)) {
                List<String> captions = Captions.write(new SplittableRandom(seed), objects, Background.Kind.STRIPES,
                        100, 100);
                assertTrue(captions.size() == 2 || captions.size() == 3, captions.toString());
                assertEquals(captions.size(), new HashSet<>(captions).size(), "distinct: " + captions);
                assertEquals(Captions.listing(objects) + " on a striped background", captions.get(0));
                for (String caption : captions) {
                    assertEquals(caption.toLowerCase(), caption);
                    assertTrue(caption.contains("yellow square") || caption.contains("white circle"), caption);
                    if (objects.size() == 1) {
                        assertTrue(!caption.contains(" above ") && !caption.contains("largest"), caption);
                    }
                }
            }
        }
        List<String> captions = Captions.write(new SplittableRandom(3), two, Background.Kind.SOLID, 100, 100);
        assertTrue(captions.get(0).endsWith("on a plain background"));
    }
}
