package io.seqvision.tasks.api;

import io.seqvision.tokenizers.CocoKeypoints;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;

/**
 * Draws an {@link Analysis} over its image: masks as translucent fills, boxes with class and
 * score, keypoint skeletons, and the caption in a band below the image.
 */
public final class AnalysisRenderer {

    private static final Color[] PALETTE = {
        new Color(0xE6194B), new Color(0x3CB44B), new Color(0x4363D8), new Color(0xF58231),
        new Color(0x911EB4), new Color(0x42D4F4), new Color(0xF032E6), new Color(0xBFEF45)};

    private AnalysisRenderer() {}

    /** The colour of a class index in drawings. */
    public static Color colorOf(int classIndex) {
        return PALETTE[Math.floorMod(classIndex, PALETTE.length)];
    }

    /** A new image: {@code image} with the analysis drawn over it (and a caption band when there is a caption). */
    public static BufferedImage render(BufferedImage image, Analysis analysis) {
        int band = analysis.caption() == null ? 0 : 28;
        BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight() + band, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.drawImage(image, 0, 0, null);
            for (AnalyzedObject object : analysis.objects()) {
                Color color = colorOf(object.detection().classIndex());
                fillMask(g, object.polygons(), color);
            }
            for (AnalyzedObject object : analysis.objects()) {
                Color color = colorOf(object.detection().classIndex());
                drawBox(g, object.detection(), color);
                drawSkeleton(g, object.keypoints(), color);
            }
            if (analysis.caption() != null) {
                g.setColor(Color.BLACK);
                g.fillRect(0, image.getHeight(), out.getWidth(), band);
                g.setColor(Color.WHITE);
                g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
                g.drawString(analysis.caption(), 6, image.getHeight() + 19);
            }
        } finally {
            g.dispose();
        }
        return out;
    }

    private static void fillMask(Graphics2D g, List<double[]> polygons, Color color) {
        if (polygons.isEmpty()) {
            return;
        }
        Path2D.Double path = new Path2D.Double(Path2D.WIND_EVEN_ODD);
        for (double[] xy : polygons) {
            path.moveTo(xy[0], xy[1]);
            for (int k = 2; k < xy.length; k += 2) {
                path.lineTo(xy[k], xy[k + 1]);
            }
            path.closePath();
        }
        g.setColor(new Color(color.getRed(), color.getGreen(), color.getBlue(), 110));
        g.fill(path);
        g.setColor(color);
        g.setStroke(new BasicStroke(1f));
        g.draw(path);
    }

    private static void drawBox(Graphics2D g, Detection d, Color color) {
        g.setColor(color);
        g.setStroke(new BasicStroke(2f));
        g.draw(new Rectangle2D.Double(d.xmin(), d.ymin(), d.width(), d.height()));
        String label = String.format(Locale.ROOT, "%s %.2f", d.className(), d.score());
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 11));
        FontMetrics metrics = g.getFontMetrics();
        int textY = (int) Math.max(metrics.getAscent() + 1, d.ymin() - 2);
        g.fillRect((int) d.xmin(), textY - metrics.getAscent() - 1, metrics.stringWidth(label) + 4,
                metrics.getHeight());
        g.setColor(Color.WHITE);
        g.drawString(label, (int) d.xmin() + 2, textY - 1);
    }

    private static void drawSkeleton(Graphics2D g, List<PosePoint> points, Color color) {
        if (points.size() != CocoKeypoints.COUNT) {
            return;
        }
        g.setStroke(new BasicStroke(2f));
        g.setColor(Color.YELLOW);
        for (int[] bone : CocoKeypoints.skeleton()) {
            PosePoint a = points.get(bone[0]);
            PosePoint b = points.get(bone[1]);
            if (a.visible() && b.visible()) {
                g.drawLine((int) Math.round(a.x()), (int) Math.round(a.y()), (int) Math.round(b.x()),
                        (int) Math.round(b.y()));
            }
        }
        g.setColor(color.darker());
        for (PosePoint p : points) {
            if (p.visible()) {
                g.fillOval((int) Math.round(p.x()) - 2, (int) Math.round(p.y()) - 2, 5, 5);
            }
        }
    }
}
