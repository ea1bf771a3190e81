package io.seqvision.web.api;

/**
 * The loaded encoder's effective receptive field (the heatmap is {@code GET /api/model/erf.png}).
 *
 * @param encoder the encoder's registry name
 * @param inputSide the input side in pixels the field was measured at
 * @param images how many images the gradient was summed over
 * @param side20 side in pixels of the centred square holding 20 % of the gradient
 * @param side50 the same for 50 %
 * @param side99 the same for 99 %
 */
public record ReceptiveFieldSummary(
        String encoder, int inputSide, int images, int side20, int side50, int side99) {}
