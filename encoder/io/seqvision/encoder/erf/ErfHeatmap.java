package io.seqvision.encoder.erf;

import java.awt.image.BufferedImage;

/**
 * Renders an effective-receptive-field map as the papers do: {@code log10(x + 1)} of the map
 * scaled to [0, 1], through a dark-blue-to-yellow colour ramp.
 */
public final class ErfHeatmap {

    private static final int[][] RAMP = {
        {13, 8, 135}, {84, 2, 163}, {139, 10, 165}, {185, 50, 137}, {219, 92, 104}, {244, 136, 73},
        {254, 188, 43}, {240, 249, 33}
    };

    private ErfHeatmap() {}

    /** Map values scaled to [0, 1] on a log scale. */
    public static float[] normalise(float[] map) {
        float[] scaled = new float[map.length];
        float max = 0;
        for (int i = 0; i < map.length; i++) {
            scaled[i] = (float) Math.log10(Math.max(0, map[i]) + 1);
            max = Math.max(max, scaled[i]);
        }
        if (max > 0) {
            for (int i = 0; i < scaled.length; i++) {
                scaled[i] /= max;
            }
        }
        return scaled;
    }

    /** An RGB image of the map, each map pixel a {@code scale x scale} block. */
    public static BufferedImage render(EffectiveReceptiveField erf, int scale) {
        float[] values = normalise(erf.map());
        int w = erf.width();
        int h = erf.height();
        BufferedImage image = new BufferedImage(w * scale, h * scale, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h * scale; y++) {
            for (int x = 0; x < w * scale; x++) {
                image.setRGB(x, y, colour(values[(y / scale) * w + x / scale]));
            }
        }
        return image;
    }

    static int colour(float value) {
        float position = Math.max(0, Math.min(1, value)) * (RAMP.length - 1);
        int low = Math.min((int) position, RAMP.length - 2);
        float t = position - low;
        int r = Math.round(RAMP[low][0] + t * (RAMP[low + 1][0] - RAMP[low][0]));
        int g = Math.round(RAMP[low][1] + t * (RAMP[low + 1][1] - RAMP[low][1]));
        int b = Math.round(RAMP[low][2] + t * (RAMP[low + 1][2] - RAMP[low][2]));
        return (r << 16) | (g << 8) | b;
    }
}
