package io.seqvision.bench.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The shared decoding steps of a run, worked out from two health readings of running means. */
class LoadBenchStepsTest {

    private static JsonNode decoding(String json) throws Exception {
        return new ObjectMapper().readTree(json);
    }

    @Test
    void theRunsStepsAreTheDifferenceOfTheCountersBeforeAndAfter() throws Exception {
        // before: 10 steps of 2 rows, 0.5 ms each; the run adds 30 steps of 6 rows, 0.9 ms each
        JsonNode before = decoding("{\"maxRows\":8,\"steps\":10,\"meanRows\":2.0,\"decoderMsPerStep\":0.5,"
                + "\"choiceMsPerStep\":0.01}");
        JsonNode after = decoding("{\"maxRows\":8,\"steps\":40,\"meanRows\":5.0,\"decoderMsPerStep\":0.8,"
                + "\"choiceMsPerStep\":0.025}");
        LoadBench.StepsDuring run = LoadBench.StepsDuring.between(before, after);
        assertEquals(8, run.maxRows());
        assertEquals(30, run.steps());
        assertEquals(6.0, run.rowsPerStep(), 1e-12);
        assertEquals(0.9, run.decoderMsPerStep(), 1e-12);
        assertEquals(0.03, run.choiceMsPerStep(), 1e-12);
    }

    @Test
    void aServerWithoutSharedStepsGivesNothing() throws Exception {
        JsonNode counters = decoding("{\"maxRows\":8,\"steps\":1,\"meanRows\":1.0,\"decoderMsPerStep\":0.5,"
                + "\"choiceMsPerStep\":0.01}");
        assertNull(LoadBench.StepsDuring.between(decoding("null"), counters));
        assertNull(LoadBench.StepsDuring.between(null, counters));
    }

    @Test
    void noStepsDuringTheRunMeansNoMeans() throws Exception {
        JsonNode counters = decoding("{\"maxRows\":8,\"steps\":5,\"meanRows\":3.0,\"decoderMsPerStep\":0.5,"
                + "\"choiceMsPerStep\":0.01}");
        LoadBench.StepsDuring run = LoadBench.StepsDuring.between(counters, counters);
        assertEquals(0, run.steps());
        assertEquals(0.0, run.rowsPerStep());
    }
}
