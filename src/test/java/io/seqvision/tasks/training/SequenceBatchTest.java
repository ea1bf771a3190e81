package io.seqvision.tasks.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.seqvision.tokenizers.TokenSequence;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SequenceBatchTest {

    @Test
    void shiftsByOneAndPadsWithZeroWeight() {
        TokenSequence a = new TokenSequence(new int[] {10, 40, 41, 1}, new float[] {0, 1, 0.5f, 1});
        TokenSequence b = new TokenSequence(new int[] {10, 1}, new float[] {0, 1});
        SequenceBatch batch = SequenceBatch.of(List.of(a, b), 5);
        assertEquals(4, batch.length());
        assertArrayEquals(new long[] {10, 40, 41, 1, 10, 1, 0, 0}, batch.inputs());
        assertArrayEquals(new long[] {40, 41, 1, 0, 1, 0, 0, 0}, batch.targets());
        assertArrayEquals(new float[] {1, 0.5f, 1, 0, 1, 0, 0, 0}, batch.weights());
        assertThrows(IllegalArgumentException.class, () -> SequenceBatch.of(List.of(a), 3));
    }

    @Test
    void batchOrderVisitsEveryExampleOncePerEpochAndIsAFunctionOfTheStep() {
        BatchOrder order = new BatchOrder(10, 5, 42);
        Set<Integer> epoch = new HashSet<>();
        Arrays.stream(order.batch(0)).forEach(epoch::add);
        Arrays.stream(order.batch(1)).forEach(epoch::add);
        assertEquals(10, epoch.size());
        int[] third = order.batch(2);
        assertArrayEquals(third, new BatchOrder(10, 5, 42).batch(2));
        assertNotEquals(Arrays.toString(order.batch(0)), Arrays.toString(order.batch(2)), "epochs reshuffle");
    }
}
