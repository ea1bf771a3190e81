package io.seqvision.tokenizers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Instance masks as polygons, Pix2Seq v2 style. Prompt: {@code PROMPT_SEGMENTATION ymin xmin ymax
 * xmax class} (the object's box). Response: each polygon's vertices as quantised {@code y x}
 * coordinate pairs, polygons of one object joined by {@link Vocabulary#SEPARATOR}, then {@link
 * Vocabulary#EOS}; every response token weighs 1.
 *
 * <p>Budget: at most {@code 2 * maxPoints} tokens before EOS, separators included, and every
 * polygon at least 3 points. Encoding quantises the vertices and drops repeats of a bin (and
 * polygons left with fewer than 3 points). While over budget: if even one triangle per polygon
 * would not fit, the smallest polygon is dropped; otherwise every polygon goes through {@link
 * PolygonSimplifier} in bin units with one shared tolerance, the least that fits (0, removing
 * collinear vertices, if that is enough; else found by doubling from 0.5 bins, then bisection).
 *
 * <p>Canonical order: each polygon runs clockwise on screen (y down) from its top-most vertex
 * (left-most among equals), and polygons follow one another by that first vertex. A shape then has
 * one target sequence instead of one per starting vertex and direction, which a small model
 * trained briefly learns much faster.
 */
public final class MaskTokenizer {

    /** Pix2Seq's budget of vertices per object. */
    public static final int DEFAULT_MAX_POINTS = 128;

    /** Prompt length: task, four box coordinates, class. */
    public static final int PROMPT_LENGTH = 6;

    private static final int MIN_POLYGON_TOKENS = 6;

    private final Vocabulary vocabulary;
    private final int maxPoints;

    public MaskTokenizer(Vocabulary vocabulary) {
        this(vocabulary, DEFAULT_MAX_POINTS);
    }

    public MaskTokenizer(Vocabulary vocabulary, int maxPoints) {
        if (maxPoints < 3) {
            throw new IllegalArgumentException("maxPoints must be at least 3, got " + maxPoints);
        }
        this.vocabulary = vocabulary;
        this.maxPoints = maxPoints;
    }

    public Vocabulary vocabulary() {
        return vocabulary;
    }

    public int maxPoints() {
        return maxPoints;
    }

    /** Longest response: {@code 2 * maxPoints} tokens and EOS. */
    public int maxResponseLength() {
        return 2 * maxPoints + 1;
    }

    /**
     * {@code [PROMPT_SEGMENTATION, ymin, xmin, ymax, xmax, class]} for the object's box.
     *
     * @throws IllegalArgumentException for NaN or out-of-range coordinates, an inverted box or an
     *     unknown class
     */
    public int[] prompt(TokenBox box) {
        return BoxPrompts.of(vocabulary, Vocabulary.PROMPT_SEGMENTATION, box, true);
    }

    /**
     * Encodes one object's polygons, fitted to the budget as the class comment says. An empty list
     * gives {@code [EOS]}.
     */
    public TokenSequence encode(List<NormalizedPolygon> polygons) {
        List<int[]> fitted = fit(polygons);
        int length = 1;
        for (int[] bins : fitted) {
            length += bins.length;
        }
        length += Math.max(0, fitted.size() - 1);
        int[] tokens = new int[length];
        int i = 0;
        for (int p = 0; p < fitted.size(); p++) {
            if (p > 0) {
                tokens[i++] = Vocabulary.SEPARATOR;
            }
            for (int bin : fitted.get(p)) {
                tokens[i++] = vocabulary.coordStart() + bin;
            }
        }
        tokens[i] = Vocabulary.EOS;
        float[] weights = new float[length];
        Arrays.fill(weights, 1f);
        return new TokenSequence(tokens, weights);
    }

    /** The polygons as the response carries them: quantised, within budget (y, x bin pairs). */
    private List<int[]> fit(List<NormalizedPolygon> polygons) {
        List<double[]> quantised = new ArrayList<>();
        for (int p = 0; p < polygons.size(); p++) {
            NormalizedPolygon polygon = polygons.get(p);
            if (polygon == null) {
                throw new IllegalArgumentException("polygon " + p + " is null");
            }
            double[] yx = distinctBins(polygon);
            if (yx.length >= MIN_POLYGON_TOKENS) {
                quantised.add(yx);
            }
        }
        List<double[]> current = quantised;
        while (tokenCount(current) > 2 * maxPoints) {
            if (triangleTokenCount(quantised) > 2 * maxPoints) {
                quantised = withoutSmallest(quantised);
                current = quantised;
                continue;
            }
            current = simplifyToBudget(quantised);
        }
        List<int[]> bins = new ArrayList<>(current.size());
        for (double[] yx : current) {
            int[] b = new int[yx.length];
            for (int k = 0; k < yx.length; k++) {
                b[k] = (int) yx[k];
            }
            bins.add(canonical(b));
        }
        bins.sort(Comparator.<int[]>comparingInt(b -> b[0]).thenComparingInt(b -> b[1]));
        return bins;
    }

    /** The polygon clockwise on screen, starting at its top-most, then left-most vertex. */
    static int[] canonical(int[] yx) {
        int n = yx.length / 2;
        long twiceSigned = 0;
        for (int i = 0; i < n; i++) {
            int j = (i + 1) % n;
            twiceSigned += (long) yx[2 * i + 1] * yx[2 * j] - (long) yx[2 * j + 1] * yx[2 * i];
        }
        boolean reverse = twiceSigned < 0;
        int start = 0;
        for (int i = 1; i < n; i++) {
            if (yx[2 * i] < yx[2 * start] || (yx[2 * i] == yx[2 * start] && yx[2 * i + 1] < yx[2 * start + 1])) {
                start = i;
            }
        }
        int[] out = new int[yx.length];
        for (int k = 0; k < n; k++) {
            int source = reverse ? Math.floorMod(start - k, n) : (start + k) % n;
            out[2 * k] = yx[2 * source];
            out[2 * k + 1] = yx[2 * source + 1];
        }
        return out;
    }

    /** Simplified with nearly the least tolerance that fits (bisected to 1/4096 of a doubling step). */
    private List<double[]> simplifyToBudget(List<double[]> polygons) {
        List<double[]> fitted = simplifyAll(polygons, 0);
        if (tokenCount(fitted) <= 2 * maxPoints) {
            return fitted;
        }
        double failing = 0;
        double fitting = 0.5;
        while (tokenCount(fitted = simplifyAll(polygons, fitting)) > 2 * maxPoints) {
            failing = fitting;
            fitting *= 2;
        }
        for (int round = 0; round < 12; round++) {
            double middle = (failing + fitting) / 2;
            List<double[]> candidate = simplifyAll(polygons, middle);
            if (tokenCount(candidate) <= 2 * maxPoints) {
                fitting = middle;
                fitted = candidate;
            } else {
                failing = middle;
            }
        }
        return fitted;
    }

    private static List<double[]> simplifyAll(List<double[]> polygons, double tolerance) {
        List<double[]> simplified = new ArrayList<>(polygons.size());
        for (double[] yx : polygons) {
            simplified.add(PolygonSimplifier.simplify(yx, tolerance));
        }
        return simplified;
    }

    /** Quantised (y, x) bins with consecutive repeats (and a last equal to the first) removed. */
    private double[] distinctBins(NormalizedPolygon polygon) {
        int n = polygon.pointCount();
        double[] yx = new double[2 * n];
        int count = 0;
        for (int i = 0; i < n; i++) {
            int y = vocabulary.quantize(polygon.y(i));
            int x = vocabulary.quantize(polygon.x(i));
            if (count > 0 && yx[2 * count - 2] == y && yx[2 * count - 1] == x) {
                continue;
            }
            yx[2 * count] = y;
            yx[2 * count + 1] = x;
            count++;
        }
        while (count > 1 && yx[0] == yx[2 * count - 2] && yx[1] == yx[2 * count - 1]) {
            count--;
        }
        return Arrays.copyOf(yx, 2 * count);
    }

    private static int tokenCount(List<double[]> polygons) {
        int tokens = Math.max(0, polygons.size() - 1);
        for (double[] yx : polygons) {
            tokens += yx.length;
        }
        return tokens;
    }

    /** Tokens of these polygons when each is cut down to a triangle. */
    private static int triangleTokenCount(List<double[]> polygons) {
        return polygons.isEmpty() ? 0 : polygons.size() * (MIN_POLYGON_TOKENS + 1) - 1;
    }

    private static List<double[]> withoutSmallest(List<double[]> polygons) {
        double[] smallest = polygons.stream().min(Comparator.comparingDouble(MaskTokenizer::area)).orElseThrow();
        List<double[]> rest = new ArrayList<>(polygons);
        rest.remove(smallest);
        return rest;
    }

    private static double area(double[] yx) {
        double twice = 0;
        int n = yx.length / 2;
        for (int i = 0, j = n - 1; i < n; j = i++) {
            twice += yx[2 * j + 1] * yx[2 * i] - yx[2 * i + 1] * yx[2 * j];
        }
        return Math.abs(twice) / 2;
    }

    /**
     * Decodes a generated response into polygons. A polygon ends at SEPARATOR; reading stops at
     * EOS or at any other token; a dangling coordinate is dropped, and so is a polygon of fewer
     * than 3 points, so a malformed tail costs only the polygon it spoils.
     */
    public List<NormalizedPolygon> decode(int[] tokens) {
        List<NormalizedPolygon> polygons = new ArrayList<>();
        double[] xy = new double[tokens.length + 1];
        int values = 0;
        int i = 0;
        while (i < tokens.length) {
            if (tokens[i] == Vocabulary.SEPARATOR) {
                addPolygon(polygons, xy, values);
                values = 0;
                i++;
            } else if (i + 1 < tokens.length && vocabulary.isCoord(tokens[i]) && vocabulary.isCoord(tokens[i + 1])) {
                xy[values++] = vocabulary.coordOf(tokens[i + 1]);
                xy[values++] = vocabulary.coordOf(tokens[i]);
                i += 2;
            } else {
                break;
            }
        }
        addPolygon(polygons, xy, values);
        return polygons;
    }

    private static void addPolygon(List<NormalizedPolygon> polygons, double[] xy, int values) {
        if (values >= MIN_POLYGON_TOKENS) {
            polygons.add(new NormalizedPolygon(Arrays.copyOf(xy, values)));
        }
    }

    /** Decodes a response and fills its polygons into a mask, as {@link PolygonRasterizer}. */
    public BinaryMask decodeMask(int[] tokens, int width, int height) {
        return PolygonRasterizer.rasterize(decode(tokens), width, height);
    }

    /**
     * The grammar of a response: coordinates in (y, x) pairs; after a polygon of at least 3
     * points, EOS or (when a 3-point polygon still fits) SEPARATOR; an empty response may be EOS;
     * after {@code 2 * maxPoints} tokens only EOS.
     */
    public void allowedNext(int[] generated, boolean[] allowed) {
        Arrays.fill(allowed, false);
        int sincePolygonStart = 0;
        for (int token : generated) {
            sincePolygonStart = token == Vocabulary.SEPARATOR ? 0 : sincePolygonStart + 1;
        }
        int used = generated.length;
        int budget = 2 * maxPoints;
        boolean coordinates = sincePolygonStart % 2 == 1 || used + 2 <= budget;
        if (sincePolygonStart % 2 == 0 && (sincePolygonStart >= MIN_POLYGON_TOKENS || used == 0)) {
            allowed[Vocabulary.EOS] = true;
            allowed[Vocabulary.SEPARATOR] = used > 0 && used + 1 + MIN_POLYGON_TOKENS <= budget;
        }
        if (coordinates) {
            Arrays.fill(allowed, vocabulary.coordStart(), vocabulary.textStart(), true);
        }
    }
}
