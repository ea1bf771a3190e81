package io.seqvision.tasks.data.shapes;

import java.util.SplittableRandom;

/**
 * The backdrop of one image: a solid colour, a two-colour linear gradient, stripes, or a smooth noise
 * texture over a base colour.
 */
final class Background {

    /** Kinds of backdrop, with the adjective captions use. */
    enum Kind {
        SOLID("plain"), GRADIENT("gradient"), STRIPES("striped"), NOISE("textured");

        final String adjective;

        Kind(String adjective) {
            this.adjective = adjective;
        }
    }

    private static final int NOISE_AMPLITUDE = 22;

    final Kind kind;
    private final int colorA;
    private final int colorB;
    private final double dirX;
    private final double dirY;
    private final double period;
    private final double offset;
    private final double span;
    private final int noiseCell;
    private final long noiseSeed;

    private Background(Kind kind, int colorA, int colorB, double angle, double period, double offset,
            double span, int noiseCell, long noiseSeed) {
        this.kind = kind;
        this.colorA = colorA;
        this.colorB = colorB;
        this.dirX = Math.cos(angle);
        this.dirY = Math.sin(angle);
        this.period = period;
        this.offset = offset;
        this.span = span;
        this.noiseCell = noiseCell;
        this.noiseSeed = noiseSeed;
    }

    static Background random(SplittableRandom rng, int width, int height) {
        Kind kind = Kind.values()[rng.nextInt(Kind.values().length)];
        int a = randomColor(rng);
        int b = switch (kind) {
            case GRADIENT -> randomColor(rng);
            // stripes stay within one hue family so that they read as a pattern, not as objects
            case STRIPES -> mix(a, randomColor(rng), 0.45);
            default -> a;
        };
        double angle = kind == Kind.STRIPES
                ? Math.PI / 4 * rng.nextInt(4)
                : rng.nextDouble(2 * Math.PI);
        double period = 6 + rng.nextInt(14);
        // gradient parameter t = (projection - offset) / span runs over [0, 1] across the image
        double cx = Math.abs(Math.cos(angle)) * width;
        double cy = Math.abs(Math.sin(angle)) * height;
        double span = Math.max(1, cx + cy);
        double offset = Math.min(0, Math.cos(angle) * width) + Math.min(0, Math.sin(angle) * height);
        int cell = 8 + rng.nextInt(17);
        return new Background(kind, a, b, angle, period, offset, span, cell, rng.nextLong());
    }

    /** Colour (0xRRGGBB) before noise at a point; objects are chosen to contrast with it. */
    int colorAt(double x, double y) {
        double projection = x * dirX + y * dirY;
        return switch (kind) {
            case SOLID, NOISE -> colorA;
            case GRADIENT -> mix(colorA, colorB, clamp01((projection - offset) / span));
            case STRIPES -> (Math.floorMod((long) Math.floor(projection / period), 2L) == 0) ? colorA : colorB;
        };
    }

    /**
     * Backdrop colours under a box {x, y, w, h}: a 5 x 5 grid of samples, plus both stripe colours for stripes
     * (a sample grid can fall on one stripe colour only).
     */
    int[] colorsUnder(double[] box) {
        int[] samples = new int[kind == Kind.STRIPES ? 27 : 25];
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 5; j++) {
                samples[5 * i + j] = colorAt(box[0] + box[2] * i / 4, box[1] + box[3] * j / 4);
            }
        }
        if (kind == Kind.STRIPES) {
            samples[25] = colorA;
            samples[26] = colorB;
        }
        return samples;
    }

    /** Fills a row-major 0xRRGGBB raster of {@code width x height} pixels, sampling at pixel centres. */
    void paint(int[] pixels, int width, int height) {
        if (kind == Kind.NOISE) {
            paintNoise(pixels, width, height);
            return;
        }
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                pixels[y * width + x] = colorAt(x + 0.5, y + 0.5);
            }
        }
    }

    /** Value noise: random offsets on a coarse lattice, bilinearly interpolated, added to every channel. */
    private void paintNoise(int[] pixels, int width, int height) {
        int cols = width / noiseCell + 2;
        int rows = height / noiseCell + 2;
        SplittableRandom rng = new SplittableRandom(noiseSeed);
        double[] lattice = new double[cols * rows];
        for (int i = 0; i < lattice.length; i++) {
            lattice[i] = rng.nextDouble(-NOISE_AMPLITUDE, NOISE_AMPLITUDE);
        }
        for (int y = 0; y < height; y++) {
            double gy = (double) y / noiseCell;
            int row = (int) gy;
            double fy = gy - row;
            for (int x = 0; x < width; x++) {
                double gx = (double) x / noiseCell;
                int col = (int) gx;
                double fx = gx - col;
                double top = lattice[row * cols + col] * (1 - fx) + lattice[row * cols + col + 1] * fx;
                double bottom = lattice[(row + 1) * cols + col] * (1 - fx) + lattice[(row + 1) * cols + col + 1] * fx;
                pixels[y * width + x] = shift(colorA, (int) Math.round(top * (1 - fy) + bottom * fy));
            }
        }
    }

    /** Muted colours keep the saturated object palette distinguishable from most backdrops. */
    private static int randomColor(SplittableRandom rng) {
        int base = 40 + rng.nextInt(176);
        int r = clamp255(base + rng.nextInt(-60, 61));
        int g = clamp255(base + rng.nextInt(-60, 61));
        int b = clamp255(base + rng.nextInt(-60, 61));
        return (r << 16) | (g << 8) | b;
    }

    static int mix(int a, int b, double t) {
        int r = (int) Math.round(((a >> 16) & 0xFF) * (1 - t) + ((b >> 16) & 0xFF) * t);
        int g = (int) Math.round(((a >> 8) & 0xFF) * (1 - t) + ((b >> 8) & 0xFF) * t);
        int bl = (int) Math.round((a & 0xFF) * (1 - t) + (b & 0xFF) * t);
        return (r << 16) | (g << 8) | bl;
    }

    private static int shift(int rgb, int delta) {
        return (clamp255(((rgb >> 16) & 0xFF) + delta) << 16)
                | (clamp255(((rgb >> 8) & 0xFF) + delta) << 8)
                | clamp255((rgb & 0xFF) + delta);
    }

    private static int clamp255(int value) {
        return Math.max(0, Math.min(255, value));
    }

    private static double clamp01(double value) {
        return Math.max(0, Math.min(1, value));
    }
}
