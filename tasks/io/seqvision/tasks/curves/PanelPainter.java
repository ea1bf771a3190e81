package io.seqvision.tasks.curves;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Draws one {@link CurvePanel}: title, legend, axes with ticks, grid and the curves. */
final class PanelPainter {

    /** Matplotlib's "tab10" colours: distinct, and readable on white. */
    static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728),
        new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
        new Color(0xbcbd22), new Color(0x17becf),
    };
    static final Color BACKGROUND = Color.WHITE;

    private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 14);
    private static final Font TEXT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    private static final Color INK = new Color(0x333333);
    private static final Color GRID = new Color(0xe6e6e6);
    private static final int LEFT = 70;
    private static final int RIGHT = 18;
    private static final int BOTTOM = 40;
    private static final int SWATCH = 22;
    private static final int RAW_ALPHA = 80;
    private static final int MIN_PLOT = 40;

    private record LegendEntry(String text, Color color, boolean marker) {}

    private final Graphics2D g;
    private final CurvePanel panel;
    private final double smoothing;
    private final double xLo;
    private final double xHi;
    private double yLo;
    private double yHi;
    private Rectangle plot;

    private PanelPainter(Graphics2D g, CurvePanel panel, double xLo, double xHi, double smoothing) {
        this.g = g;
        this.panel = panel;
        this.xLo = xLo;
        this.xHi = xHi;
        this.smoothing = smoothing;
    }

    /**
     * @param xLo the step at the plot's left edge, shared by all panels so that they line up
     * @return the plot area, inside {@code bounds}, where curves were drawn
     */
    static Rectangle paint(Graphics2D g, Rectangle bounds, CurvePanel panel, double xLo, double xHi, double smoothing) {
        return new PanelPainter(g, panel, xLo, xHi, smoothing).paint(bounds);
    }

    private Rectangle paint(Rectangle bounds) {
        g.setFont(TITLE);
        g.setColor(INK);
        int titleBaseline = bounds.y + g.getFontMetrics().getAscent() + 4;
        g.drawString(panel.title(), bounds.x + LEFT, titleBaseline);
        int legendTop = titleBaseline + 6;
        int left = bounds.x + LEFT;
        int right = bounds.x + bounds.width - RIGHT;
        int bottom = bounds.y + bounds.height - BOTTOM;
        // A small image keeps its curves and gives up the legend first.
        boolean legend = bottom - (layoutLegend(legendTop, left, right, false) + 8) >= MIN_PLOT;
        int top = legend ? layoutLegend(legendTop, left, right, true) + 8 : legendTop;
        plot = new Rectangle(left, top, right - left, bottom - top);
        if (plot.width < MIN_PLOT || plot.height < MIN_PLOT) {
            throw new IllegalArgumentException("panel '" + panel.title() + "' has no room for its plot in "
                    + bounds.width + "x" + bounds.height + " pixels; make the image larger");
        }
        yRange();
        drawAxes();
        Shape clip = g.getClip();
        g.clip(new Rectangle(plot.x - 4, plot.y - 4, plot.width + 9, plot.height + 9));
        for (int i = 0; i < panel.series().size(); i++) {
            drawSeries(panel.series().get(i), PALETTE[i % PALETTE.length]);
        }
        g.setClip(clip);
        g.setColor(INK);
        g.setStroke(new BasicStroke(1f));
        g.drawRect(plot.x, plot.y, plot.width, plot.height);
        return plot;
    }

    /** Lays the entries out left to right, wrapping, drawing them if asked; returns the y below the last row. */
    private int layoutLegend(int top, int left, int right, boolean draw) {
        g.setFont(TEXT);
        FontMetrics fm = g.getFontMetrics();
        int rowHeight = fm.getHeight() + 2;
        int x = left;
        int y = top;
        for (LegendEntry entry : legendEntries()) {
            int width = (entry.color() == null ? 0 : SWATCH + 6) + fm.stringWidth(entry.text()) + 16;
            if (x > left && x + width > right) {
                x = left;
                y += rowHeight;
            }
            int middle = y + rowHeight / 2;
            if (!draw) {
                x += width;
                continue;
            }
            if (entry.color() != null) {
                g.setColor(entry.color());
                g.setStroke(new BasicStroke(2.2f));
                g.draw(new Line2D.Double(x, middle, x + SWATCH, middle));
                if (entry.marker()) {
                    g.fill(marker(x + SWATCH / 2.0, middle));
                }
                x += SWATCH + 6;
            }
            g.setColor(entry.color() == null ? Color.GRAY : INK);
            g.drawString(entry.text(), x, middle + fm.getAscent() / 2 - 1);
            x += fm.stringWidth(entry.text()) + 16;
        }
        return y + rowHeight;
    }

    private List<LegendEntry> legendEntries() {
        List<LegendEntry> entries = new ArrayList<>();
        for (int i = 0; i < panel.series().size(); i++) {
            MetricSeries s = panel.series().get(i);
            List<MetricPoint> finite = s.finitePoints();
            String text = s.name() + "  " + number(finite.get(finite.size() - 1).value());
            int skipped = s.points().size() - finite.size();
            if (skipped > 0) {
                text += " (" + skipped + " non-finite skipped)";
            }
            entries.add(new LegendEntry(text, PALETTE[i % PALETTE.length], panel.style() == CurvePanel.Style.MARKERS));
        }
        if (panel.style() == CurvePanel.Style.SMOOTHED) {
            entries.add(new LegendEntry("faint: raw, bold: EMA weight " + smoothing, null, false));
        }
        return entries;
    }

    private void yRange() {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (MetricSeries s : panel.series()) {
            for (MetricPoint p : s.finitePoints()) {
                lo = Math.min(lo, p.value());
                hi = Math.max(hi, p.value());
            }
        }
        double margin = hi > lo ? 0.04 * (hi - lo) : Math.max(Math.abs(hi) * 0.05, 1e-9);
        if (hi == lo && hi == 0) {
            margin = 1;
        }
        yLo = lo - margin;
        yHi = hi + margin;
    }

    private void drawAxes() {
        g.setFont(TEXT);
        FontMetrics fm = g.getFontMetrics();
        g.setStroke(new BasicStroke(1f));
        double ySpacing = NiceTicks.spacing(yLo, yHi, Math.max(2, plot.height / 60));
        for (double tick : NiceTicks.ticks(yLo, yHi, ySpacing)) {
            int y = (int) Math.round(py(tick));
            g.setColor(GRID);
            g.drawLine(plot.x + 1, y, plot.x + plot.width - 1, y);
            g.setColor(INK);
            g.drawLine(plot.x - 4, y, plot.x, y);
            String label = NiceTicks.label(tick, ySpacing);
            g.drawString(label, plot.x - 7 - fm.stringWidth(label), y + fm.getAscent() / 2 - 1);
        }
        double xSpacing = Math.max(1, NiceTicks.spacing(xLo, xHi, Math.max(2, plot.width / 110)));
        for (double tick : NiceTicks.ticks(xLo, xHi, xSpacing)) {
            int x = (int) Math.round(px(tick));
            g.setColor(GRID);
            g.drawLine(x, plot.y + 1, x, plot.y + plot.height - 1);
            g.setColor(INK);
            g.drawLine(x, plot.y + plot.height, x, plot.y + plot.height + 4);
            String label = NiceTicks.stepLabel(tick, xSpacing, xHi);
            g.drawString(label, x - fm.stringWidth(label) / 2, plot.y + plot.height + 6 + fm.getAscent());
        }
        g.setColor(Color.GRAY);
        g.drawString("step", plot.x + plot.width - fm.stringWidth("step"),
                plot.y + plot.height + 8 + fm.getAscent() + fm.getHeight());
    }

    private void drawSeries(MetricSeries s, Color color) {
        List<MetricPoint> points = s.finitePoints();
        double[] values = points.stream().mapToDouble(MetricPoint::value).toArray();
        switch (panel.style()) {
            case SMOOTHED -> {
                drawLine(points, values, withAlpha(color, RAW_ALPHA), 1.2f);
                drawLine(points, Ema.smooth(values, smoothing), color, 2.4f);
            }
            case LINES -> drawLine(points, values, color, 2f);
            case MARKERS -> {
                drawLine(points, values, color, 1.6f);
                g.setColor(color);
                for (MetricPoint p : points) {
                    g.fill(marker(px(p.step()), py(p.value())));
                }
            }
        }
        if (points.size() == 1) {
            g.setColor(color);
            g.fill(marker(px(points.get(0).step()), py(values[0])));
        }
    }

    private void drawLine(List<MetricPoint> points, double[] values, Color color, float width) {
        Path2D.Double path = new Path2D.Double();
        for (int i = 0; i < points.size(); i++) {
            double x = px(points.get(i).step());
            double y = py(values[i]);
            if (i == 0) {
                path.moveTo(x, y);
            } else {
                path.lineTo(x, y);
            }
        }
        g.setColor(color);
        g.setStroke(new BasicStroke(width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.draw(path);
    }

    private static Shape marker(double x, double y) {
        return new Ellipse2D.Double(x - 3.5, y - 3.5, 7, 7);
    }

    private static Color withAlpha(Color color, int alpha) {
        return new Color(color.getRed(), color.getGreen(), color.getBlue(), alpha);
    }

    private double px(double step) {
        return plot.x + (step - xLo) / (xHi - xLo) * plot.width;
    }

    private double py(double value) {
        return plot.y + plot.height - (value - yLo) / (yHi - yLo) * plot.height;
    }

    private static String number(double value) {
        return String.format(Locale.ROOT, "%.4g", value);
    }
}
