/**
 * Autoregressive generation over token ids: {@link io.seqvision.decoder.generate.Generator}
 * (incremental decoding with a key/value cache, batched, per-sequence stopping), samplers (greedy,
 * temperature, top-k, nucleus; see {@link io.seqvision.decoder.generate.SamplingStrategy}), token
 * constraints and logits processors (no-repeat n-grams, repetition penalty). Knows token ids only,
 * never tasks.
 */
package io.seqvision.decoder.generate;
