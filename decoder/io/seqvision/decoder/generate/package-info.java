/**
 * Autoregressive generation over token ids: {@link io.seqvision.decoder.generate.Generator},
 * samplers (greedy, nucleus) and token constraints. Knows token ids only, never tasks.
 */
package io.seqvision.decoder.generate;
