package io.seqvision.encoder.hornet;

/**
 * Plain-Java reference pieces of HorNet on one sample {@code [c][h][w]}, in double precision,
 * written from the paper and the official code independently of the DJL implementation.
 */
final class HorNetReference {

    private HorNetReference() {}

    /** Element {@code (b, c, h, w)} of a flat NCHW array as {@code [c][h][w]} of sample b. */
    static double[][][] sample(float[] flat, int b, int c, int h, int w) {
        double[][][] x = new double[c][h][w];
        for (int ch = 0; ch < c; ch++) {
            for (int i = 0; i < h; i++) {
                for (int j = 0; j < w; j++) {
                    x[ch][i][j] = flat[((b * c + ch) * h + i) * w + j];
                }
            }
        }
        return x;
    }

    /** 1x1 conv: {@code weight (out, in)} row-major, {@code bias (out)}. */
    static double[][][] pointwise(double[][][] x, float[] weight, float[] bias) {
        int in = x.length;
        int out = bias.length;
        int h = x[0].length;
        int w = x[0][0].length;
        double[][][] y = new double[out][h][w];
        for (int o = 0; o < out; o++) {
            for (int i = 0; i < h; i++) {
                for (int j = 0; j < w; j++) {
                    double sum = bias[o];
                    for (int c = 0; c < in; c++) {
                        sum += weight[o * in + c] * x[c][i][j];
                    }
                    y[o][i][j] = sum;
                }
            }
        }
        return y;
    }

    /** Depthwise {@code k x k} conv, zero padding {@code (k-1)/2}; {@code bias} may be null. */
    static double[][][] depthwise(double[][][] x, float[] weight, float[] bias, int k) {
        int c = x.length;
        int h = x[0].length;
        int w = x[0][0].length;
        int pad = (k - 1) / 2;
        double[][][] y = new double[c][h][w];
        for (int ch = 0; ch < c; ch++) {
            for (int i = 0; i < h; i++) {
                for (int j = 0; j < w; j++) {
                    double sum = bias == null ? 0 : bias[ch];
                    for (int u = 0; u < k; u++) {
                        for (int v = 0; v < k; v++) {
                            int ii = i + u - pad;
                            int jj = j + v - pad;
                            if (ii >= 0 && ii < h && jj >= 0 && jj < w) {
                                sum += weight[(ch * k + u) * k + v] * x[ch][ii][jj];
                            }
                        }
                    }
                    y[ch][i][j] = sum;
                }
            }
        }
        return y;
    }

    /** LayerNorm over channels at every pixel, eps 1e-6. */
    static double[][][] channelNorm(double[][][] x, float[] gamma, float[] beta) {
        int c = x.length;
        int h = x[0].length;
        int w = x[0][0].length;
        double[][][] y = new double[c][h][w];
        for (int i = 0; i < h; i++) {
            for (int j = 0; j < w; j++) {
                double[] v = new double[c];
                for (int ch = 0; ch < c; ch++) {
                    v[ch] = x[ch][i][j];
                }
                double[] n = ModelTesting.layerNorm(v, gamma, beta, 1e-6);
                for (int ch = 0; ch < c; ch++) {
                    y[ch][i][j] = n[ch];
                }
            }
        }
        return y;
    }

    static double[][][] channels(double[][][] x, int from, int to) {
        double[][][] y = new double[to - from][][];
        System.arraycopy(x, from, y, 0, to - from);
        return y;
    }

    static double[][][] multiply(double[][][] a, double[][][] b, double scale) {
        double[][][] y = new double[a.length][a[0].length][a[0][0].length];
        for (int c = 0; c < a.length; c++) {
            for (int i = 0; i < a[0].length; i++) {
                for (int j = 0; j < a[0][0].length; j++) {
                    y[c][i][j] = a[c][i][j] * b[c][i][j] * scale;
                }
            }
        }
        return y;
    }

    /**
     * Bilinear resize with aligned corners of a complex filter {@code (C, h0, w0, 2)} (flat) to
     * {@code [c][h][w][2]}: output {@code (i, j)} reads input position {@code (i (h0-1)/(h-1), j
     * (w0-1)/(w-1))}.
     */
    static double[][][][] resizeFilter(float[] flat, int c, int h0, int w0, int h, int w) {
        double[][][][] out = new double[c][h][w][2];
        for (int ch = 0; ch < c; ch++) {
            for (int i = 0; i < h; i++) {
                double y = h == 1 ? 0 : (double) i * (h0 - 1) / (h - 1);
                for (int j = 0; j < w; j++) {
                    double x = w == 1 ? 0 : (double) j * (w0 - 1) / (w - 1);
                    for (int part = 0; part < 2; part++) {
                        int y0 = (int) Math.floor(y);
                        int x0 = (int) Math.floor(x);
                        int y1 = Math.min(y0 + 1, h0 - 1);
                        int x1 = Math.min(x0 + 1, w0 - 1);
                        double fy = y - y0;
                        double fx = x - x0;
                        out[ch][i][j][part] =
                                (1 - fy) * (1 - fx) * at(flat, ch, y0, x0, part, h0, w0)
                                        + (1 - fy) * fx * at(flat, ch, y0, x1, part, h0, w0)
                                        + fy * (1 - fx) * at(flat, ch, y1, x0, part, h0, w0)
                                        + fy * fx * at(flat, ch, y1, x1, part, h0, w0);
                    }
                }
            }
        }
        return out;
    }

    private static double at(float[] flat, int c, int i, int j, int part, int h0, int w0) {
        return flat[((c * h0 + i) * w0 + j) * 2 + part];
    }

    /**
     * {@code irfft2(rfft2(x, ortho) * W, s=(H, W), ortho)} by direct DFT sums: the forward
     * transform keeps frequencies {@code 0..W/2} along W; the inverse is a complex inverse DFT
     * along H, then the real inverse along W that reads only those frequencies, dropping the
     * imaginary parts of frequency 0 and (W even) W/2, as a complex-to-real transform does.
     */
    static double[][][] spectralFilter(double[][][] x, double[][][][] filter) {
        int c = x.length;
        int h = x[0].length;
        int w = x[0][0].length;
        int f = w / 2 + 1;
        double norm = 1 / Math.sqrt((double) h * w);
        double[][][] y = new double[c][h][w];
        for (int ch = 0; ch < c; ch++) {
            double[][] re = new double[h][f];
            double[][] im = new double[h][f];
            for (int k = 0; k < h; k++) {
                for (int l = 0; l < f; l++) {
                    double sr = 0;
                    double si = 0;
                    for (int i = 0; i < h; i++) {
                        for (int j = 0; j < w; j++) {
                            double angle = -2 * Math.PI * ((double) k * i / h + (double) l * j / w);
                            sr += x[ch][i][j] * Math.cos(angle);
                            si += x[ch][i][j] * Math.sin(angle);
                        }
                    }
                    sr *= norm;
                    si *= norm;
                    double wr = filter[ch][k][l][0];
                    double wi = filter[ch][k][l][1];
                    re[k][l] = sr * wr - si * wi;
                    im[k][l] = sr * wi + si * wr;
                }
            }
            for (int i = 0; i < h; i++) {
                double[] rowRe = new double[f];
                double[] rowIm = new double[f];
                for (int l = 0; l < f; l++) {
                    for (int k = 0; k < h; k++) {
                        double angle = 2 * Math.PI * k * i / h;
                        rowRe[l] += re[k][l] * Math.cos(angle) - im[k][l] * Math.sin(angle);
                        rowIm[l] += re[k][l] * Math.sin(angle) + im[k][l] * Math.cos(angle);
                    }
                }
                for (int j = 0; j < w; j++) {
                    double sum = rowRe[0];
                    for (int l = 1; l < f; l++) {
                        double angle = 2 * Math.PI * l * j / w;
                        double term = rowRe[l] * Math.cos(angle) - rowIm[l] * Math.sin(angle);
                        boolean nyquist = w % 2 == 0 && l == w / 2;
                        sum += nyquist ? term : 2 * term;
                    }
                    y[ch][i][j] = sum * norm;
                }
            }
        }
        return y;
    }
}
