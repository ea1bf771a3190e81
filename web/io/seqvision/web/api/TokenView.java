package io.seqvision.web.api;

/**
 * One token of a sequence, labelled for people.
 *
 * @param id the token id in the model's vocabulary
 * @param kind {@code prompt}, {@code coordinate}, {@code class}, {@code noise}, {@code separator},
 *     {@code invisible}, {@code text}, {@code end} or {@code special}
 * @param text a short label, such as {@code ymin 0.42} or a class name
 * @param probability the model's probability for the token, {@code null} for prompt tokens and
 *     the end token (not reported by the decoder)
 */
public record TokenView(int id, String kind, String text, Double probability) {}
