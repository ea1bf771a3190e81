package io.seqvision.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqvision.tasks.data.AnnotatedObject;
import io.seqvision.tokenizers.Keypoint;
import io.seqvision.tokenizers.TokenBox;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ObjectPromptsTest {

    private static final AnnotatedObject PERSON = new AnnotatedObject(new TokenBox(0.2, 0.4, 0.6, 0.5, 4),
            List.of(), Collections.nCopies(17, new Keypoint(0.45, 0.3, 2)), 120);

    @Test
    void promptJitterMovesEachEdgeWithinItsFractionOfTheSideAndKeepsTheTargets() {
        Random random = new Random(1);
        double largest = 0;
        for (int i = 0; i < 500; i++) {
            AnnotatedObject moved = ObjectPrompts.jitter(PERSON, 0.1, random);
            TokenBox a = PERSON.box();
            TokenBox b = moved.box();
            double[] dy = {b.ymin() - a.ymin(), b.ymax() - a.ymax()};
            double[] dx = {b.xmin() - a.xmin(), b.xmax() - a.xmax()};
            for (int k = 0; k < 2; k++) {
                assertTrue(Math.abs(dy[k]) <= 0.1 * 0.4 + 1e-12, "dy " + dy[k]);
                assertTrue(Math.abs(dx[k]) <= 0.1 * 0.1 + 1e-12, "dx " + dx[k]);
                largest = Math.max(largest, Math.abs(dy[k]) / 0.4);
            }
            assertEquals(PERSON.keypoints(), moved.keypoints(), "the targets stay exact");
            assertEquals(PERSON.area(), moved.area());
            assertEquals(4, b.classIndex());
        }
        assertTrue(largest > 0.09, "edges use the whole range, largest move " + largest);
    }

    @Test
    void noJitterIsTheSameObjectAndBoxesStayInTheImage() {
        assertSame(PERSON, ObjectPrompts.jitter(PERSON, 0, new Random(2)));
        AnnotatedObject corner = new AnnotatedObject(new TokenBox(0.0, 0.0, 0.5, 1.0, 0), List.of(), List.of(), 1);
        Random random = new Random(3);
        for (int i = 0; i < 200; i++) {
            TokenBox b = ObjectPrompts.jitter(corner, 0.5, random).box();
            assertTrue(b.ymin() >= 0 && b.xmin() >= 0 && b.ymax() <= 1 && b.xmax() <= 1, b.toString());
            assertTrue(b.ymax() > b.ymin() && b.xmax() > b.xmin(), b.toString());
        }
    }
}
