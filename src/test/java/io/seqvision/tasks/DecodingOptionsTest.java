package io.seqvision.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.seqvision.decoder.generate.GreedySampler;
import io.seqvision.decoder.generate.NucleusSampler;
import io.seqvision.decoder.generate.TopKSampler;
import io.seqvision.tasks.config.ConfigException;
import io.seqvision.tasks.config.ConfigLoader;
import io.seqvision.tasks.config.SamplingConfig;
import org.junit.jupiter.api.Test;

class DecodingOptionsTest {

    @Test
    void theConfigsEvalBlockChoosesTheSampler() {
        SamplingConfig eval = ConfigLoader.parse(
                "tasks: {detection: {sampling: {sampler: top_k, top_k: 7, temperature: 0.5}}}", "x.yaml")
                .tasks().detection().sampling();
        DecodingOptions options = DecodingOptions.fromConfig(eval, 3);
        assertEquals(new DecodingOptions("top_k", 0.5, 7, 0.4, 3, 0, true), options);
        TopKSampler sampler = assertInstanceOf(TopKSampler.class, options.newSampler());
        assertEquals(7, sampler.k());
        assertEquals(0.5, sampler.temperature());
        assertEquals(3, sampler.seed());

        SamplingConfig defaults = ConfigLoader.defaults().tasks().detection().sampling();
        assertEquals(SamplingConfig.DEFAULT_TOP_K, defaults.topK());
        assertInstanceOf(GreedySampler.class, DecodingOptions.fromConfig(defaults, 1).newSampler());
        assertInstanceOf(NucleusSampler.class, DecodingOptions.nucleus(0.4, 1, 1).newSampler());
    }

    @Test
    void theConfigRejectsABadTopKOrSamplerNamingTheKey() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.parse("tasks: {detection: {sampling: {top_k: 0}}}", "my.yaml"));
        assertTrue(e.getMessage().contains("my.yaml") && e.getMessage().contains("tasks.detection.sampling.top_k"),
                e.getMessage());
        e = assertThrows(ConfigException.class,
                () -> ConfigLoader.parse("tasks: {captioning: {sampling: {sampler: beam}}}", "my.yaml"));
        assertTrue(e.getMessage().contains("tasks.captioning.sampling.sampler") && e.getMessage().contains("top_k"),
                e.getMessage());
    }

    @Test
    void eachCallGetsAFreshSamplerFromTheSeed() {
        DecodingOptions options = DecodingOptions.temperature(1.0, 9);
        float[] logits = {0.1f, 0.4f, -0.3f, 0.2f, 0f};
        var a = options.newSampler();
        var b = options.newSampler();
        for (int i = 0; i < 30; i++) {
            assertEquals(a.sampleRow(logits), b.sampleRow(logits));
        }
    }

    @Test
    void rejectsBadValuesNamingThem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DecodingOptions.topK(0, 1, 1));
        assertTrue(e.getMessage().contains("topK") && e.getMessage().contains("0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> DecodingOptions.nucleus(1.5, 1, 1));
        assertTrue(e.getMessage().contains("topP") && e.getMessage().contains("1.5"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> DecodingOptions.temperature(0, 1));
        assertTrue(e.getMessage().contains("temperature"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new DecodingOptions("beam", 1, 1, 1, 0, 0, true));
        assertTrue(e.getMessage().contains("'beam'") && e.getMessage().contains("top_k"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> DecodingOptions.greedy().withMaxNewTokens(-1));
        assertTrue(e.getMessage().contains("maxNewTokens"), e.getMessage());
        assertNotEquals(DecodingOptions.greedy(), DecodingOptions.greedy().withKeyValueCache(false));
        assertFalse(DecodingOptions.greedy().withKeyValueCache(false).keyValueCache());
    }
}
