package io.seqvision.tasks.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {

    @Test
    void warmsUpLinearlyThenFollowsTheCosine() {
        LearningRateSchedule s = new LearningRateSchedule(1.0, 0.1, 10, 110);
        assertEquals(0.1, s.at(0), 1e-12);
        assertEquals(1.0, s.at(9), 1e-12);
        assertEquals(1.0, s.at(10), 1e-12);
        assertEquals(0.1 + 0.9 * 0.5, s.at(60), 1e-12, "half way down the cosine");
        assertEquals(0.1, s.at(110), 1e-12);
        assertEquals(0.1, s.at(500), 1e-12);
    }

    @Test
    void rejectsNonsense() {
        assertThrows(IllegalArgumentException.class, () -> new LearningRateSchedule(0, 0, 1, 10));
        assertThrows(IllegalArgumentException.class, () -> new LearningRateSchedule(1, 2, 1, 10));
    }
}
