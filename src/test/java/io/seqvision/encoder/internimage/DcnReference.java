package io.seqvision.encoder.internimage;

import io.seqvision.encoder.hornet.ModelTesting;

/**
 * A plain-Java, double-precision DCNv3 forward written from the official PyTorch reference ({@code
 * dcnv3_core_pytorch}): it pads the input, builds the normalised reference points and dilation
 * grid, adds the scaled offsets and samples like {@code grid_sample(mode='bilinear',
 * padding_mode='zeros', align_corners=False)}, all in the padded frame, exactly as the official
 * code does (the implementation under test works in the unpadded frame instead). Arrays are
 * channels-last {@code [b][i][j][c]}; weights are PyTorch-layout flat arrays.
 */
final class DcnReference {

    private DcnReference() {}

    /**
     * The sampling core: {@code value [B][H][W][C]}, {@code offset [B][H][W][G*P*2]}, {@code mask
     * [B][H][W][G*P]}, kernel K with padding (K-1)/2, stride and dilation 1.
     */
    static double[][][][] core(
            double[][][][] value,
            double[][][][] offset,
            double[][][][] mask,
            int kernel,
            int groups,
            double offsetScale) {
        int batch = value.length;
        int h = value[0].length;
        int w = value[0][0].length;
        int c = value[0][0][0].length;
        int pad = (kernel - 1) / 2;
        int hIn = h + 2 * pad;
        int wIn = w + 2 * pad;
        int points = kernel * kernel;
        int groupChannels = c / groups;
        double[][][][] out = new double[batch][h][w][c];
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < h; i++) {
                for (int j = 0; j < w; j++) {
                    // _get_reference_points: (K-1)//2 + 0.5 + index, normalised by the padded size
                    double refX = ((kernel - 1) / 2 + 0.5 + j) / wIn;
                    double refY = ((kernel - 1) / 2 + 0.5 + i) / hIn;
                    for (int g = 0; g < groups; g++) {
                        for (int p = 0; p < points; p++) {
                            // _generate_dilation_grids: meshgrid(x, y) with ij indexing, flattened
                            int xIndex = p / kernel;
                            int yIndex = p % kernel;
                            double gridX = (-((kernel - 1) / 2) + xIndex) / (double) wIn;
                            double gridY = (-((kernel - 1) / 2) + yIndex) / (double) hIn;
                            int o = (g * points + p) * 2;
                            double locX =
                                    refX
                                            + gridX * offsetScale
                                            + offset[b][i][j][o] * offsetScale / wIn;
                            double locY =
                                    refY
                                            + gridY * offsetScale
                                            + offset[b][i][j][o + 1] * offsetScale / hIn;
                            // grid_sample, align_corners=False: pixel = ((2 loc - 1) + 1) * size /
                            // 2 - 0.5
                            double px = locX * wIn - 0.5;
                            double py = locY * hIn - 0.5;
                            double m = mask[b][i][j][g * points + p];
                            for (int cc = 0; cc < groupChannels; cc++) {
                                int ch = g * groupChannels + cc;
                                out[b][i][j][ch] += m * bilinearPadded(value[b], ch, py, px, pad);
                            }
                        }
                    }
                }
            }
        }
        return out;
    }

    /**
     * Bilinear read of channel {@code ch} at padded-frame pixel {@code (py, px)}, zeros outside.
     */
    private static double bilinearPadded(
            double[][][] image, int ch, double py, double px, int pad) {
        int y0 = (int) Math.floor(py);
        int x0 = (int) Math.floor(px);
        double fy = py - y0;
        double fx = px - x0;
        return (1 - fy) * (1 - fx) * padded(image, ch, y0, x0, pad)
                + (1 - fy) * fx * padded(image, ch, y0, x0 + 1, pad)
                + fy * (1 - fx) * padded(image, ch, y0 + 1, x0, pad)
                + fy * fx * padded(image, ch, y0 + 1, x0 + 1, pad);
    }

    private static double padded(double[][][] image, int ch, int y, int x, int pad) {
        int yy = y - pad;
        int xx = x - pad;
        if (yy < 0 || yy >= image.length || xx < 0 || xx >= image[0].length) {
            return 0;
        }
        return image[yy][xx][ch];
    }

    /** DCNv3 parameters in PyTorch layout. */
    record Weights(
            float[] inputProjW,
            float[] inputProjB,
            float[] dwW,
            float[] dwB,
            float[] normGamma,
            float[] normBeta,
            float[] offsetW,
            float[] offsetB,
            float[] maskW,
            float[] maskB,
            float[] outputProjW,
            float[] outputProjB) {}

    /** The whole DCNv3 module on {@code input [B][H][W][C]}. */
    static double[][][][] module(
            double[][][][] input, Weights p, int kernel, int groups, double offsetScale) {
        int batch = input.length;
        int h = input[0].length;
        int w = input[0][0].length;
        int c = input[0][0][0].length;
        int points = kernel * kernel;
        int pad = (kernel - 1) / 2;
        double[][][][] projected = new double[batch][h][w][];
        double[][][][] offsets = new double[batch][h][w][];
        double[][][][] masks = new double[batch][h][w][];
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < h; i++) {
                for (int j = 0; j < w; j++) {
                    projected[b][i][j] = linear(input[b][i][j], p.inputProjW, p.inputProjB);
                    double[] dw = new double[c];
                    for (int ch = 0; ch < c; ch++) {
                        double sum = p.dwB[ch];
                        for (int u = 0; u < kernel; u++) {
                            for (int v = 0; v < kernel; v++) {
                                int ii = i + u - pad;
                                int jj = j + v - pad;
                                if (ii >= 0 && ii < h && jj >= 0 && jj < w) {
                                    sum +=
                                            p.dwW[(ch * kernel + u) * kernel + v]
                                                    * input[b][ii][jj][ch];
                                }
                            }
                        }
                        dw[ch] = sum;
                    }
                    double[] features = ModelTesting.layerNorm(dw, p.normGamma, p.normBeta, 1e-6);
                    for (int ch = 0; ch < c; ch++) {
                        features[ch] = ModelTesting.gelu(features[ch]);
                    }
                    offsets[b][i][j] = linear(features, p.offsetW, p.offsetB);
                    double[] logits = linear(features, p.maskW, p.maskB);
                    for (int g = 0; g < groups; g++) {
                        double max = Double.NEGATIVE_INFINITY;
                        for (int q = 0; q < points; q++) {
                            max = Math.max(max, logits[g * points + q]);
                        }
                        double total = 0;
                        for (int q = 0; q < points; q++) {
                            logits[g * points + q] = Math.exp(logits[g * points + q] - max);
                            total += logits[g * points + q];
                        }
                        for (int q = 0; q < points; q++) {
                            logits[g * points + q] /= total;
                        }
                    }
                    masks[b][i][j] = logits;
                }
            }
        }
        double[][][][] sampled = core(projected, offsets, masks, kernel, groups, offsetScale);
        double[][][][] out = new double[batch][h][w][];
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < h; i++) {
                for (int j = 0; j < w; j++) {
                    out[b][i][j] = linear(sampled[b][i][j], p.outputProjW, p.outputProjB);
                }
            }
        }
        return out;
    }

    /** {@code weight (out, in)} row-major times {@code x} plus {@code bias}. */
    static double[] linear(double[] x, float[] weight, float[] bias) {
        double[] y = new double[bias.length];
        for (int o = 0; o < bias.length; o++) {
            double sum = bias[o];
            for (int i = 0; i < x.length; i++) {
                sum += weight[o * x.length + i] * x[i];
            }
            y[o] = sum;
        }
        return y;
    }

    /** A flat channels-last array as {@code [b][i][j][c]}. */
    static double[][][][] unflatten(float[] flat, int batch, int h, int w, int c) {
        double[][][][] x = new double[batch][h][w][c];
        for (int b = 0; b < batch; b++) {
            for (int i = 0; i < h; i++) {
                for (int j = 0; j < w; j++) {
                    for (int ch = 0; ch < c; ch++) {
                        x[b][i][j][ch] = flat[((b * h + i) * w + j) * c + ch];
                    }
                }
            }
        }
        return x;
    }
}
