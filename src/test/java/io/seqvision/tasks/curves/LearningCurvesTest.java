package io.seqvision.tasks.curves;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LearningCurvesTest {

    private static final Color FIRST = PanelPainter.PALETTE[0];

    @Test
    void aStraightLineIsDrawnWhereTheAxesPutIt() {
        List<MetricPoint> points = new ArrayList<>();
        for (int step = 0; step <= 100; step++) {
            points.add(new MetricPoint(step, step / 100.0));
        }
        LearningCurves.Drawing drawing = LearningCurves.builder().build()
                .drawing(List.of(new MetricSeries("learning_rate", MetricKind.TRAIN, points)), "line");
        Rectangle plot = drawing.plots().get("learning rate");
        assertEquals(List.of("learning rate"), List.copyOf(drawing.plots().keySet()));
        for (double f : new double[] {0.1, 0.25, 0.5, 0.75, 0.9}) {
            int column = plot.x + (int) Math.round(f * plot.width);
            List<Integer> rows = rowsOfColour(drawing.image(), column, plot, FIRST, 60);
            assertFalse(rows.isEmpty(), "no curve pixel in column " + column);
            // Steps 0..100 with a 3% margin each side, values 0..1 with 4%: the axes' documented ranges.
            double step = -3 + (column + 0.5 - plot.x) / plot.width * 106;
            double expectedY = plot.y + plot.height - (step / 100 + 0.04) / 1.08 * plot.height;
            assertEquals(expectedY, mean(rows), 1.5, "curve height in column " + column);
            assertTrue(rows.get(rows.size() - 1) - rows.get(0) <= 4, "a thin line: " + rows);
        }
        assertTrue(rowsOfColour(drawing.image(), plot.x + 10, plot, FIRST, 100).isEmpty(),
                "nothing left of step 0");
        assertTrue(rowsOfColour(drawing.image(), plot.x + plot.width - 10, plot, FIRST, 100).isEmpty(),
                "nothing right of step 100");
    }

    @Test
    void lossesGetABoldMovingAverageOverTheFaintRawLine() {
        List<MetricPoint> points = new ArrayList<>();
        for (int step = 0; step <= 200; step++) {
            points.add(new MetricPoint(step, 2 - step / 100.0 + (step % 2 == 0 ? 0.3 : -0.3)));
        }
        double weight = 0.9;
        LearningCurves.Drawing drawing = LearningCurves.builder().optSmoothing(weight).build()
                .drawing(List.of(new MetricSeries("loss", MetricKind.TRAIN, points)), "zigzag");
        Rectangle plot = drawing.plots().get("loss");
        double[] smoothed = Ema.smooth(points.stream().mapToDouble(MetricPoint::value).toArray(), weight);
        double lo = points.stream().mapToDouble(MetricPoint::value).min().orElseThrow();
        double hi = points.stream().mapToDouble(MetricPoint::value).max().orElseThrow();
        Color faint = over(FIRST, 80, Color.WHITE);
        for (double f : new double[] {0.3, 0.6, 0.85}) {
            int centre = plot.x + (int) Math.round(f * plot.width);
            List<Integer> bold = new ArrayList<>();
            List<Integer> raw = new ArrayList<>();
            for (int column = centre - 6; column <= centre + 6; column++) {
                bold.addAll(rowsOfColour(drawing.image(), column, plot, FIRST, 40));
                raw.addAll(rowsOfColour(drawing.image(), column, plot, faint, 20));
            }
            int boldMin = bold.stream().mapToInt(Integer::intValue).min().orElseThrow();
            int boldMax = bold.stream().mapToInt(Integer::intValue).max().orElseThrow();
            int rawMin = raw.stream().mapToInt(Integer::intValue).min().orElseThrow();
            int rawMax = raw.stream().mapToInt(Integer::intValue).max().orElseThrow();
            double pixelsPerUnit = plot.height / (1.08 * (hi - lo));
            assertTrue(rawMax - rawMin > 0.5 * pixelsPerUnit, "the raw zigzag spans its 0.6 swing: " + rawMin + ".." + rawMax);
            assertTrue(boldMax - boldMin < 0.1 * pixelsPerUnit, "the average is a narrow band: " + boldMin + ".." + boldMax);
            int step = (int) Math.round(-6 + (centre + 0.5 - plot.x) / plot.width * 212);
            double margin = 0.04 * (hi - lo);
            double expectedY = plot.y + plot.height - (smoothed[step] - lo + margin) / (hi - lo + 2 * margin) * plot.height;
            assertEquals(expectedY, (boldMin + boldMax) / 2.0, 8, "the bold band sits on the EMA at step " + step);
        }
    }

    @Test
    void aSinglePointIsDrawnAsAMarkerInTheMiddle() {
        // One of each style: a one-point line draws nothing, so only the marker can show it.
        for (String name : List.of("learning_rate", "loss", "eval/detection/ap50")) {
            MetricKind kind = name.startsWith("eval/") ? MetricKind.EVAL : MetricKind.TRAIN;
            LearningCurves.Drawing drawing = LearningCurves.builder().build().drawing(
                    List.of(new MetricSeries(name, kind, List.of(new MetricPoint(500, 0.42)))), "one point");
            Rectangle plot = drawing.plots().values().iterator().next();
            int column = plot.x + plot.width / 2;
            List<Integer> rows = rowsOfColour(drawing.image(), column, plot, FIRST, 40);
            assertFalse(rows.isEmpty(), name);
            assertEquals(plot.y + plot.height / 2.0, mean(rows), 1.5, name);
            assertTrue(rows.size() >= 4, name + ": a marker, not a hairline: " + rows);
        }
    }

    @Test
    void nonFiniteValuesAreSkippedAndEmptySeriesGetNoPanel() {
        List<MetricSeries> series = List.of(
                new MetricSeries("loss", MetricKind.TRAIN,
                        List.of(new MetricPoint(1, 2.0), new MetricPoint(2, Double.NaN), new MetricPoint(3, 1.0))),
                new MetricSeries("learning_rate", MetricKind.TRAIN, List.of(new MetricPoint(1, Double.NaN))),
                new MetricSeries("images_per_second", MetricKind.TRAIN, List.of()));
        LearningCurves.Drawing drawing = LearningCurves.builder().optSmoothing(0).build().drawing(series, "gaps");
        assertEquals(List.of("loss"), List.copyOf(drawing.plots().keySet()));
        Rectangle plot = drawing.plots().get("loss");
        int column = plot.x + plot.width / 2;
        // Step 2 is half way; the line from (1, 2.0) to (3, 1.0) passes 1.5 there, the middle.
        assertEquals(plot.y + plot.height / 2.0, mean(rowsOfColour(drawing.image(), column, plot, FIRST, 60)), 1.5);

        LearningCurves.Drawing nothing = LearningCurves.builder().build().drawing(series.subList(1, 3), "empty");
        assertTrue(nothing.plots().isEmpty());
        assertTrue(inkFraction(nothing.image()) > 0, "the title and a note are still drawn");
    }

    @Test
    void panelsOfARunSitSideBySideInsideTheImage() {
        LearningCurves.Drawing drawing = LearningCurves.builder().build().drawing(syntheticRun(400).values(), "run");
        List<Rectangle> plots = List.copyOf(drawing.plots().values());
        assertEquals(List.of("loss", "learning rate", "throughput", "evaluation"), List.copyOf(drawing.plots().keySet()));
        Rectangle image = new Rectangle(0, 0, LearningCurves.DEFAULT_WIDTH, LearningCurves.DEFAULT_HEIGHT);
        for (int i = 0; i < plots.size(); i++) {
            assertTrue(image.contains(plots.get(i)), "plot " + i + " " + plots.get(i));
            assertTrue(plots.get(i).width > 400 && plots.get(i).height > 250, "plot " + i + " " + plots.get(i));
            for (int j = i + 1; j < plots.size(); j++) {
                assertFalse(plots.get(i).intersects(plots.get(j)), "plots " + i + " and " + j + " overlap");
            }
        }
        assertEquals(plots.get(0).x, plots.get(2).x, "two columns");
        assertEquals(plots.get(0).width, plots.get(1).width);
    }

    @Test
    void aMetricsFileBecomesAPngOfTheRequestedSize(@TempDir Path dir) throws Exception {
        Path metrics = dir.resolve("my-run/metrics.csv");
        MetricsLog log = MetricsLog.start(metrics);
        for (int step = 10; step <= 300; step += 10) {
            log.append(step, MetricKind.TRAIN, Map.of("loss", 3.0 / Math.sqrt(step), "learning_rate", 1e-4,
                    "images_per_second", 140.0 + step % 7));
            if (step % 100 == 0) {
                log.append(step, MetricKind.EVAL, "eval/detection/ap50", step / 1000.0);
            }
        }
        Path png = dir.resolve("out/curves.png");
        LearningCurves.builder().optWidth(900).optHeight(700).build().render(metrics, png);
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(900, image.getWidth());
        assertEquals(700, image.getHeight());
        assertTrue(inkFraction(image) > 0.02, "not blank: " + inkFraction(image));
        try (Stream<Path> files = Files.list(png.getParent())) {
            assertEquals(List.of(png), files.toList(), "no temporary file left behind");
        }
    }

    @Test
    void aMalformedFileIsNamedAndNoPngIsWritten(@TempDir Path dir) throws Exception {
        Path metrics = dir.resolve("metrics.csv");
        Files.writeString(metrics, "step,kind,name,value\n1,train,loss,x\n");
        Path png = dir.resolve("curves.png");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LearningCurves.builder().build().render(metrics, png));
        assertTrue(e.getMessage().startsWith(metrics + ":2: value 'x' is not a number"), e.getMessage());
        assertFalse(Files.exists(png));
    }

    @Test
    void theSmallestImageStillShowsEveryPanel() {
        Map<String, MetricSeries> run = new LinkedHashMap<>(syntheticRun(400));
        run.put("grad_norm", new MetricSeries("grad_norm", MetricKind.TRAIN, List.of(new MetricPoint(5, 1.5))));
        LearningCurves.Drawing drawing = LearningCurves.builder().optWidth(LearningCurves.MIN_WIDTH)
                .optHeight(LearningCurves.MIN_HEIGHT).build()
                .drawing(run.values(), "small");
        assertEquals(5, drawing.plots().size(), "legends give way; plots stay");
        drawing.plots().values().forEach(plot -> assertTrue(plot.height >= 40, plot.toString()));
    }

    @Test
    void builderRefusesNonsense() {
        assertThrows(IllegalArgumentException.class, () -> LearningCurves.builder().optWidth(639).build());
        assertThrows(IllegalArgumentException.class, () -> LearningCurves.builder().optHeight(479).build());
        assertThrows(IllegalArgumentException.class, () -> LearningCurves.builder().optHeight(20_000).build());
        assertThrows(IllegalArgumentException.class, () -> LearningCurves.builder().optSmoothing(1).build());
    }

    /** Synthetic metrics shaped like a multi-task run: per-task losses, a warm-up then cosine schedule. */
    static Map<String, MetricSeries> syntheticRun(int steps) {
        Map<String, List<MetricPoint>> points = new LinkedHashMap<>();
        java.util.Random random = new java.util.Random(3);
        for (int step = 5; step <= steps; step += 5) {
            double t = step / (double) steps;
            double detection = 3.2 * Math.exp(-3 * t) + 0.6 + 0.25 * random.nextGaussian();
            double caption = 4.0 * Math.exp(-2 * t) + 1.1 + 0.25 * random.nextGaussian();
            add(points, "loss", step, (detection + caption) / 2);
            add(points, "loss/detection", step, detection);
            add(points, "loss/caption", step, caption);
            double warm = Math.min(1, step / (0.1 * steps));
            add(points, "learning_rate", step, 3e-4 * warm * (0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI * t))));
            add(points, "images_per_second", step, 140 + 6 * random.nextGaussian());
            if (step % (steps / 5) == 0) {
                add(points, "eval/detection/ap50", step, 0.65 * (1 - Math.exp(-3 * t)));
                add(points, "eval/caption/bleu4", step, 0.3 * (1 - Math.exp(-2 * t)));
            }
        }
        Map<String, MetricSeries> series = new LinkedHashMap<>();
        points.forEach((name, list) -> series.put(name,
                new MetricSeries(name, name.startsWith("eval/") ? MetricKind.EVAL : MetricKind.TRAIN, list)));
        return series;
    }

    private static void add(Map<String, List<MetricPoint>> points, String name, long step, double value) {
        points.computeIfAbsent(name, n -> new ArrayList<>()).add(new MetricPoint(step, value));
    }

    /** Rows strictly inside the plot's frame where the column's pixel is within {@code tolerance} of the colour. */
    private static List<Integer> rowsOfColour(BufferedImage image, int column, Rectangle plot, Color colour, double tolerance) {
        List<Integer> rows = new ArrayList<>();
        for (int y = plot.y + 1; y < plot.y + plot.height; y++) {
            Color c = new Color(image.getRGB(column, y));
            double d = Math.sqrt(Math.pow(c.getRed() - colour.getRed(), 2) + Math.pow(c.getGreen() - colour.getGreen(), 2)
                    + Math.pow(c.getBlue() - colour.getBlue(), 2));
            if (d <= tolerance) {
                rows.add(y);
            }
        }
        return rows;
    }

    private static Color over(Color colour, int alpha, Color background) {
        double a = alpha / 255.0;
        return new Color((int) Math.round(colour.getRed() * a + background.getRed() * (1 - a)),
                (int) Math.round(colour.getGreen() * a + background.getGreen() * (1 - a)),
                (int) Math.round(colour.getBlue() * a + background.getBlue() * (1 - a)));
    }

    private static double mean(List<Integer> values) {
        return values.stream().mapToInt(Integer::intValue).average().orElseThrow();
    }

    private static double inkFraction(BufferedImage image) {
        long ink = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xffffff) != 0xffffff) {
                    ink++;
                }
            }
        }
        return ink / (double) (image.getWidth() * image.getHeight());
    }
}
