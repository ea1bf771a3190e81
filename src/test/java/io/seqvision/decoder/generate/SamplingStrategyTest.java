package io.seqvision.decoder.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SamplingStrategyTest {

    @Test
    void namesAreTheConfigNames() {
        assertEquals(SamplingStrategy.GREEDY, SamplingStrategy.named("greedy"));
        assertEquals(SamplingStrategy.TEMPERATURE, SamplingStrategy.named("temperature"));
        assertEquals(SamplingStrategy.TOP_K, SamplingStrategy.named("TOP_K"));
        assertEquals(SamplingStrategy.NUCLEUS, SamplingStrategy.named("nucleus"));
        for (SamplingStrategy strategy : SamplingStrategy.values()) {
            assertEquals(strategy, SamplingStrategy.named(strategy.configName()));
        }
    }

    @Test
    void anUnknownNameListsTheValidOnes() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> SamplingStrategy.named("beam"));
        assertTrue(e.getMessage().contains("'beam'") && e.getMessage().contains("greedy, temperature, top_k, nucleus"),
                e.getMessage());
    }

    @Test
    void createBuildsTheNamedSamplerWithItsParameters() {
        assertInstanceOf(GreedySampler.class, SamplingStrategy.GREEDY.create(1, 1, 1, 0));
        TemperatureSampler temperature =
                assertInstanceOf(TemperatureSampler.class, SamplingStrategy.TEMPERATURE.create(0.7, 5, 0.3, 9));
        assertEquals(0.7, temperature.temperature());
        assertEquals(9, temperature.seed());
        TopKSampler topK = assertInstanceOf(TopKSampler.class, SamplingStrategy.TOP_K.create(0.7, 5, 0.3, 9));
        assertEquals(5, topK.k());
        NucleusSampler nucleus = assertInstanceOf(NucleusSampler.class, SamplingStrategy.NUCLEUS.create(0.7, 5, 0.3, 9));
        assertEquals(0.3, nucleus.topP(), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> SamplingStrategy.TOP_K.create(1, 0, 1, 0));
    }

    @Test
    void eachCreatedSamplerStartsFromItsSeed() {
        float[] logits = SamplerTestSupport.randomLogits(new Random(8), 20);
        for (SamplingStrategy strategy : SamplingStrategy.values()) {
            Sampler a = strategy.create(1.3, 6, 0.8, 77);
            Sampler b = strategy.create(1.3, 6, 0.8, 77);
            for (int i = 0; i < 50; i++) {
                assertEquals(a.sampleRow(logits), b.sampleRow(logits), strategy + " draw " + i);
            }
        }
    }
}
