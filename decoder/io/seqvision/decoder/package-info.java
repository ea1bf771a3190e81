/**
 * The sequence side of the Pix2Seq network: multi-head attention, the transformer decoder over
 * token ids, the 2-D position encoding of image features, and {@link
 * io.seqvision.decoder.EncoderDecoderModel}, which joins an {@link io.seqvision.encoder.Encoder}
 * to the decoder. Knows token ids, never tasks.
 */
package io.seqvision.decoder;
