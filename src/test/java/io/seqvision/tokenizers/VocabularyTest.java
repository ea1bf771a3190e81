package io.seqvision.tokenizers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class VocabularyTest {

    private final Vocabulary vocabulary = new Vocabulary(5, 1000, 100);

    @Test
    void rangesAreBackToBackAndDisjoint() {
        assertEquals(30, vocabulary.classStart());
        assertEquals(35, vocabulary.coordStart());
        assertEquals(1035, vocabulary.textStart());
        assertEquals(1135, vocabulary.size());
        for (int token = 0; token < vocabulary.size(); token++) {
            int kinds = (vocabulary.isClass(token) ? 1 : 0) + (vocabulary.isCoord(token) ? 1 : 0)
                    + (vocabulary.isText(token) ? 1 : 0);
            assertTrue(kinds <= 1, "token " + token + " belongs to " + kinds + " ranges");
        }
        assertFalse(vocabulary.isClass(Vocabulary.EOS));
        assertFalse(vocabulary.isCoord(Vocabulary.PROMPT_DETECTION));
    }

    @Test
    void quantisationRoundTripIsWithinHalfABin() {
        Random random = new Random(3);
        double halfBin = 0.5 / (vocabulary.coordBins() - 1);
        for (int i = 0; i < 10_000; i++) {
            double v = random.nextDouble();
            double back = vocabulary.coordOf(vocabulary.coordToken(v));
            assertTrue(Math.abs(back - v) <= halfBin + 1e-12, v + " came back as " + back);
        }
        assertEquals(0.0, vocabulary.coordOf(vocabulary.coordToken(0.0)));
        assertEquals(1.0, vocabulary.coordOf(vocabulary.coordToken(1.0)));
    }

    @Test
    void classTokensRoundTrip() {
        for (int c = 0; c < 5; c++) {
            assertEquals(c, vocabulary.classIndexOf(vocabulary.classToken(c)));
        }
    }

    @Test
    void badInputIsNamed() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> vocabulary.quantize(Double.NaN))
                .getMessage().contains("NaN"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> vocabulary.quantize(1.5))
                .getMessage().contains("1.5"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> vocabulary.classToken(5))
                .getMessage().contains("unknown class index 5"));
        assertThrows(IllegalArgumentException.class, () -> vocabulary.coordOf(Vocabulary.EOS));
        assertThrows(IllegalArgumentException.class, () -> new Vocabulary(0, 10, 0));
    }
}
