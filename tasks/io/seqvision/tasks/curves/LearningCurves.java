package io.seqvision.tasks.curves;

import io.seqvision.tasks.storage.Png;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Draws a run's metrics as a PNG of learning curves: a title, then a grid of panels (two
 * columns) — losses with a smoothed line over the raw one, learning rate, throughput, evaluation
 * metrics with markers — sharing one step axis. See {@link CurvePanel} for which metric goes
 * where. NaN and infinite values are skipped (the legend counts them); series without a finite
 * value, and panels left empty, are not drawn.
 *
 * <pre>{@code
 * LearningCurves.builder().build().render(run.resolve("metrics.csv"), run.resolve("curves.png"));
 * }</pre>
 */
public final class LearningCurves {

    static {
        // Drawing into an image needs no display; without this a JVM that sees a DISPLAY would
        // talk to an X server, and fail where that server is gone.
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    public static final int DEFAULT_WIDTH = 1280;
    public static final int DEFAULT_HEIGHT = 960;
    public static final double DEFAULT_SMOOTHING = 0.9;
    /** Room for all five panels (three rows) with a readable plot in each. */
    public static final int MIN_WIDTH = 640;
    public static final int MIN_HEIGHT = 480;

    private static final int TITLE_HEIGHT = 44;
    private static final int CELL_PADDING = 8;
    private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 18);
    private static final Font SUBTITLE = new Font(Font.SANS_SERIF, Font.PLAIN, 12);

    private final int width;
    private final int height;
    private final double smoothing;
    private final String title;

    /** An image and where each panel's plot area lies in it (by panel title). */
    record Drawing(BufferedImage image, Map<String, Rectangle> plots) {}

    private LearningCurves(Builder builder) {
        this.width = builder.width;
        this.height = builder.height;
        this.smoothing = builder.smoothing;
        this.title = builder.title;
    }

    public static Builder builder() {
        return new Builder();
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    /** Draws the series (for example {@link MetricsLog#read}) into a width x height RGB image. */
    public BufferedImage draw(Map<String, MetricSeries> series) {
        return drawing(series.values(), title == null ? "learning curves" : title).image();
    }

    /** Draws the series and writes them as a PNG, atomically. */
    public void write(Map<String, MetricSeries> series, Path png) {
        writePng(draw(series), png);
    }

    /**
     * Reads a metrics file and writes its curves as a PNG, atomically; the title, unless the
     * builder set one, names the file's directory (the run).
     *
     * @throws IllegalArgumentException naming the file and line when the metrics file is malformed
     */
    public void render(Path metricsFile, Path png) {
        Path dir = metricsFile.toAbsolutePath().getParent();
        String name = title != null ? title
                : "learning curves: " + (dir == null || dir.getFileName() == null ? metricsFile : dir.getFileName());
        writePng(drawing(MetricsLog.read(metricsFile).values(), name).image(), png);
    }

    /**
     * Draws one panel per entry, titled by its key, sharing one step axis, and writes the PNG
     * atomically: to compare runs, a panel holds one series per run. A panel of evaluation series
     * is drawn with markers, any other with its raw line under a smoothed one; panels without a
     * finite value are left out.
     */
    public void writePanels(Map<String, List<MetricSeries>> panels, Path png) {
        List<CurvePanel> drawn = new java.util.ArrayList<>();
        panels.forEach((panelTitle, list) -> {
            List<MetricSeries> finite = list.stream().filter(s -> !s.finitePoints().isEmpty()).toList();
            if (!finite.isEmpty()) {
                boolean eval = finite.stream().allMatch(s -> s.kind() == MetricKind.EVAL);
                drawn.add(new CurvePanel(panelTitle, eval ? CurvePanel.Style.MARKERS : CurvePanel.Style.SMOOTHED,
                        finite));
            }
        });
        writePng(drawPanels(drawn, title == null ? "learning curves" : title).image(), png);
    }

    Drawing drawing(Collection<MetricSeries> series, String heading) {
        return drawPanels(CurvePanel.group(series), heading);
    }

    private Drawing drawPanels(List<CurvePanel> panels, String heading) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        Map<String, Rectangle> plots = new LinkedHashMap<>();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            g.setColor(PanelPainter.BACKGROUND);
            g.fillRect(0, 0, width, height);
            double[] extent = stepExtent(panels);
            drawTitle(g, heading, extent);
            if (panels.isEmpty()) {
                g.setFont(SUBTITLE);
                g.setColor(Color.GRAY);
                String text = "no finite metric values to draw yet";
                g.drawString(text, (width - g.getFontMetrics().stringWidth(text)) / 2, height / 2);
                return new Drawing(image, plots);
            }
            // The step axis is shared so that panels line up; a lone step gets one step either side.
            double margin = extent[1] > extent[0] ? 0.03 * (extent[1] - extent[0]) : 1;
            int columns = panels.size() == 1 ? 1 : 2;
            int rows = (panels.size() + columns - 1) / columns;
            int cellWidth = width / columns;
            int cellHeight = (height - TITLE_HEIGHT) / rows;
            for (int i = 0; i < panels.size(); i++) {
                Rectangle cell = new Rectangle((i % columns) * cellWidth + CELL_PADDING,
                        TITLE_HEIGHT + (i / columns) * cellHeight + CELL_PADDING,
                        cellWidth - 2 * CELL_PADDING, cellHeight - 2 * CELL_PADDING);
                CurvePanel panel = panels.get(i);
                plots.put(panel.title(), PanelPainter.paint(g, cell, panel,
                        extent[0] - margin, extent[1] + margin, smoothing));
            }
            return new Drawing(image, plots);
        } finally {
            g.dispose();
        }
    }

    /** The smallest and largest step of any finite point, or null when there is none. */
    private static double[] stepExtent(List<CurvePanel> panels) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (CurvePanel panel : panels) {
            for (MetricSeries s : panel.series()) {
                for (MetricPoint p : s.finitePoints()) {
                    lo = Math.min(lo, p.step());
                    hi = Math.max(hi, p.step());
                }
            }
        }
        return lo > hi ? null : new double[] {lo, hi};
    }

    private void drawTitle(Graphics2D g, String heading, double[] extent) {
        g.setColor(new Color(0x222222));
        g.setFont(TITLE);
        int baseline = (TITLE_HEIGHT + g.getFontMetrics().getAscent()) / 2;
        g.drawString(heading, 16, baseline);
        if (extent != null) {
            g.setFont(SUBTITLE);
            g.setColor(Color.GRAY);
            String range = extent[0] == extent[1]
                    ? String.format(Locale.ROOT, "step %d", (long) extent[0])
                    : String.format(Locale.ROOT, "steps %d to %d", (long) extent[0], (long) extent[1]);
            g.drawString(range, width - 16 - g.getFontMetrics().stringWidth(range), baseline);
        }
    }

    private static void writePng(BufferedImage image, Path png) {
        Png.write(png, image);
    }

    /** Image size, smoothing and title; every setting has a default. */
    public static final class Builder {
        private int width = DEFAULT_WIDTH;
        private int height = DEFAULT_HEIGHT;
        private double smoothing = DEFAULT_SMOOTHING;
        private String title;

        private Builder() {}

        /** Image width in pixels, 640 to 10000; default 1280. */
        public Builder optWidth(int width) {
            this.width = width;
            return this;
        }

        /** Image height in pixels, 480 to 10000; default 960. */
        public Builder optHeight(int height) {
            this.height = height;
            return this;
        }

        /** Weight of the loss panel's moving average, in [0, 1) (see {@link Ema}); default 0.9. */
        public Builder optSmoothing(double smoothing) {
            this.smoothing = smoothing;
            return this;
        }

        /** The image's title; by default "learning curves", or the run's name when rendering a file. */
        public Builder optTitle(String title) {
            this.title = title;
            return this;
        }

        public LearningCurves build() {
            if (width < MIN_WIDTH || width > 10_000) {
                throw new IllegalArgumentException("width " + width + " is outside " + MIN_WIDTH + " to 10000 pixels");
            }
            if (height < MIN_HEIGHT || height > 10_000) {
                throw new IllegalArgumentException("height " + height + " is outside " + MIN_HEIGHT + " to 10000 pixels");
            }
            if (!(smoothing >= 0 && smoothing < 1)) {
                throw new IllegalArgumentException("smoothing " + smoothing + " is outside [0, 1)");
            }
            return new LearningCurves(this);
        }
    }
}
